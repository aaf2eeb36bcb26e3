// Create relationships of one kind between existing nodes, or replace the properties of
// the one that is already there (a merge import must not duplicate what it finds).
// placeholders: source, type, target
// params: rows: [{source: string, target: string, props: map}]
UNWIND $rows AS row
MATCH (a:<<source>> {id: row.source})
MATCH (b:<<target>> {id: row.target})
MERGE (a)-[r:<<type>>]->(b)
SET r = row.props
