// Relationships touching one node, in either direction.
// placeholders: label
// params: id: string
// returns: source_labels, source_id, type, target_labels, target_id, props
MATCH (n:<<label>> {id: $id})-[r]-()
WITH DISTINCT r
RETURN labels(startNode(r)) AS source_labels, startNode(r).id AS source_id, type(r) AS type,
       labels(endNode(r)) AS target_labels, endNode(r).id AS target_id, properties(r) AS props
