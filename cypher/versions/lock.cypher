// Take the write lock on one edited node (candidate, offer, company) and read its version,
// so that two concurrent saves of the same version cannot both pass the check made in the
// same write transaction (Neo4j's documented way to avoid a lost update). The marker
// property disappears with the node's rewrite (`import/merge_nodes` sets exactly the new
// properties) or with the rollback.
// placeholders: label
// params: id: string
// returns: version: integer or null
MATCH (n:<<label>> {id: $id})
SET n._lock = true
RETURN coalesce(n.version, 0) AS version
