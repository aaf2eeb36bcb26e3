// Every node with its labels and properties.
// returns: labels: [string], id: string, props: map
MATCH (n)
RETURN labels(n) AS labels, n.id AS id, properties(n) AS props
