// One node's properties.
// placeholders: label
// params: id: string
// returns: props: map
MATCH (n:<<label>> {id: $id})
RETURN properties(n) AS props
