// The user with one e-mail address (stored in lower case).
// placeholders: label
// params: email: string
// returns: id: string, props: map
MATCH (n:<<label>> {email: $email})
RETURN n.id AS id, properties(n) AS props
