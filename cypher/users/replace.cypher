// Give a locked user exactly the given properties.
// placeholders: label
// params: id: string, props: map
MATCH (n:<<label>> {id: $id})
SET n = $props, n.id = $id
