// Which of the given ids name a node with the label.
// placeholders: label
// params: ids: [string]
// returns: id: string
UNWIND $ids AS id
MATCH (n:<<label>> {id: id})
RETURN n.id AS id
