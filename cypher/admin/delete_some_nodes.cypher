// Delete up to $batch nodes with their relationships; run until it returns 0, so that
// clearing a large graph never needs one huge transaction.
// params: batch: int
// returns: deleted: int
MATCH (n)
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
