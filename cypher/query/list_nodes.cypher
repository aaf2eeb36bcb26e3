// The first $limit nodes of one label, by id (the catalogue a form's picker offers).
// placeholders: label
// params: limit: integer
// returns: id: string, props: map
MATCH (n:<<label>>)
RETURN n.id AS id, properties(n) AS props
ORDER BY n.id
LIMIT $limit
