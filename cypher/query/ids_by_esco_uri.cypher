// Which nodes of one label carry the given ESCO URIs (the smallest id if several do).
// placeholders: label
// params: uris: [string]
// returns: uri: string, id: string
UNWIND $uris AS uri
MATCH (n:<<label>> {esco_uri: uri})
RETURN uri, min(n.id) AS id
