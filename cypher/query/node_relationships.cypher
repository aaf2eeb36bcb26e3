// Relationships touching one node, in either direction, in one round trip with the
// node's existence: no row when there is no such node, one row with a null ``type``
// when it exists without relationships.
// placeholders: label
// params: id: string
// returns: source_labels, source_id, type, target_labels, target_id, props
MATCH (n:<<label>> {id: $id})
OPTIONAL MATCH (n)-[r]-()
WITH DISTINCT r
RETURN labels(startNode(r)) AS source_labels, startNode(r).id AS source_id, type(r) AS type,
       labels(endNode(r)) AS target_labels, endNode(r).id AS target_id, properties(r) AS props
