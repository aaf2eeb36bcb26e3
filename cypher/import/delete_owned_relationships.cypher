// Remove the relationships of one kind that the given source nodes own (before re-import).
// placeholders: source, type, target
// params: ids: [string] (ids of source nodes)
UNWIND $ids AS id
MATCH (:<<source>> {id: id})-[r:<<type>>]->(:<<target>>)
DELETE r
