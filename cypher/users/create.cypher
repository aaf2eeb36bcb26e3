// A new user; the id and email constraints refuse a duplicate.
// placeholders: label
// params: id: string, props: map
CREATE (n:<<label>>)
SET n = $props, n.id = $id
