// Keep the erasure record of an erased candidate: a node connected to nothing, outside
// the world (no label of the model, so never exported or counted). No personal data:
// the key is a SHA-256 of the id (graph.erasure).
// params: erasure: map (key, erased_at, erased_by, reason)
MERGE (e:ErasureRecord {key: $erasure.key})
SET e = $erasure
