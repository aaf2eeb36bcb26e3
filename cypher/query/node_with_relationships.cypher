// One node's properties and every relationship touching it, in one round trip.
// placeholders: label
// params: id: string
// returns: props: map, rels: list of maps (source_labels, source_id, type, target_labels,
//          target_id, props) — no row when there is no such node
MATCH (n:<<label>> {id: $id})
OPTIONAL MATCH (n)-[r]-()
WITH n, collect(DISTINCT r) AS rs
RETURN properties(n) AS props,
       [r IN rs | {source_labels: labels(startNode(r)), source_id: startNode(r).id,
                   type: type(r), target_labels: labels(endNode(r)),
                   target_id: endNode(r).id, props: properties(r)}] AS rels
