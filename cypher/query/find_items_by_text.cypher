// The nodes of one label that hand-written texts name: by id or ESCO URI exactly, or by
// name or any multilingual label (label_de, label_ar, ...) ignoring case.
// One scan of the label keeps the candidates; only those are paired with the texts.
// placeholders: label
// params: wanted: [{text: string, exact: string, lowered: string}], exact: [string],
//         lowered: [string], prefix: string (the label property prefix)
// returns: text: string, id: string, props: map
MATCH (n:<<label>>)
WITH n,
     [k IN keys(n) WHERE k STARTS WITH $prefix | toLower(n[k])]
     + CASE WHEN n.name IS NULL THEN [] ELSE [toLower(n.name)] END AS names
WHERE n.id IN $exact OR n.esco_uri IN $exact OR any(x IN names WHERE x IN $lowered)
UNWIND $wanted AS w
WITH n, names, w
WHERE n.id = w.exact OR n.esco_uri = w.exact OR w.lowered IN names
RETURN w.text AS text, n.id AS id, properties(n) AS props
ORDER BY text, id
