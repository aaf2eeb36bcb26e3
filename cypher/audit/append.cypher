// Append audit events: one :AuditEvent node each, connected to nothing, so erasing a
// candidate leaves the log of ids. No statement ever changes or deletes one (clear()
// empties the whole database). `n` is the position in this append, for the order of
// events with the same time.
// params: events: [map] (the fields of graph.audit.AuditEvent)
UNWIND range(0, size($events) - 1) AS n
WITH n, $events[n] AS event
CREATE (e:AuditEvent)
SET e = event, e.n = n
