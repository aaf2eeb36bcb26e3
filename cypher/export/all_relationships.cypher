// Every relationship with both ends.
// returns: source_labels, source_id, type, target_labels, target_id, props
MATCH (a)-[r]->(b)
RETURN labels(a) AS source_labels, a.id AS source_id, type(r) AS type,
       labels(b) AS target_labels, b.id AS target_id, properties(r) AS props
