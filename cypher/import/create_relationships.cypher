// Create relationships of one kind between existing nodes.
// placeholders: source, type, target
// params: rows: [{source: string, target: string, props: map}]
UNWIND $rows AS row
MATCH (a:<<source>> {id: row.source})
MATCH (b:<<target>> {id: row.target})
CREATE (a)-[r:<<type>>]->(b)
SET r = row.props
