// The audit log by time: newest first, date ranges of the admin search.
CREATE INDEX audit_event_at IF NOT EXISTS
FOR (e:AuditEvent) ON (e.at)
