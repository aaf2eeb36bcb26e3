// Which of the given erasure keys have a record.
// params: keys: [string]
// returns: key: string
UNWIND $keys AS key
MATCH (e:ErasureRecord {key: key})
RETURN e.key AS key
