// Several nodes' properties in one round trip (a page's labels, a route's courses).
// placeholders: label
// params: ids: list of strings
// returns: id: string, props: map — one row per id that exists
UNWIND $ids AS wanted
MATCH (n:<<label>> {id: wanted})
RETURN n.id AS id, properties(n) AS props
