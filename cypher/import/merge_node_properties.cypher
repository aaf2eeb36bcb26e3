// Upsert nodes of one label, adding or updating the given properties and keeping the
// others (a taxonomy imported in parts, e.g. ESCO labels of a second language).
// placeholders: label
// params: rows: [{id: string, props: map}]
UNWIND $rows AS row
MERGE (n:<<label>> {id: row.id})
SET n += row.props
