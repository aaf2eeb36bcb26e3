// The audit log by candidate: a candidate's "who saw my data" report and GDPR export.
CREATE INDEX audit_event_candidate IF NOT EXISTS
FOR (e:AuditEvent) ON (e.candidate_id)
