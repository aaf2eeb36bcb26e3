// Every erasure record, oldest first.
// returns: props: map
MATCH (e:ErasureRecord)
RETURN properties(e) AS props
ORDER BY e.erased_at, e.key
