// Remove the relationships of one kind that the given target nodes own, e.g. an offer
// owns the (Company)-[:POSTS]->(Offer) that names its company.
// placeholders: source, type, target
// params: ids: [string] (ids of target nodes)
UNWIND $ids AS id
MATCH (:<<source>>)-[r:<<type>>]->(:<<target>> {id: id})
DELETE r
