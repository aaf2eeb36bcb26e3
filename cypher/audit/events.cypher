// Audit events matching every filter that is not null, newest first.
// params: candidate_id, user_id, since (inclusive), until (exclusive), action: string or
//         null; limit: int
// returns: props: map
MATCH (e:AuditEvent)
WHERE ($candidate_id IS NULL OR e.candidate_id = $candidate_id)
  AND ($user_id IS NULL OR e.user_id = $user_id)
  AND ($since IS NULL OR e.at >= $since)
  AND ($until IS NULL OR e.at < $until)
  AND ($action IS NULL OR e.action = $action)
RETURN properties(e) AS props
ORDER BY e.at DESC, e.n DESC
LIMIT $limit
