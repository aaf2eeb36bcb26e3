// Every user, by e-mail address.
// placeholders: label
// returns: id: string, props: map
MATCH (n:<<label>>)
RETURN n.id AS id, properties(n) AS props
ORDER BY n.email
