// Take the write lock on one user before comparing its version, so that two concurrent
// saves cannot both pass the check (Neo4j's documented way to avoid a lost update). The
// marker property disappears with the following `users/replace`, or with the rollback.
// placeholders: label
// params: id: string
// returns: props: map
MATCH (n:<<label>> {id: $id})
SET n._lock = true
RETURN properties(n) AS props
