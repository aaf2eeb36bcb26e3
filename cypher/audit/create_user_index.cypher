// The audit log by user: everything one login read or changed.
CREATE INDEX audit_event_user IF NOT EXISTS
FOR (e:AuditEvent) ON (e.user_id)
