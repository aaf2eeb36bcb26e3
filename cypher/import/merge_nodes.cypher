// Upsert nodes of one label; each gets exactly the given properties.
// placeholders: label
// params: rows: [{id: string, props: map}]
UNWIND $rows AS row
MERGE (n:<<label>> {id: row.id})
SET n = row.props, n.id = row.id
