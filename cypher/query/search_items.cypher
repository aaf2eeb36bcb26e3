// Suggestions while someone types: the nodes of one label whose label in the chosen
// language or in German contains the text, ignoring case and taken literally (CONTAINS
// and STARTS WITH compare plain strings). Ranked as graph/search.py defines it: 0 exact,
// 1 prefix, 2 word prefix (after one of $separators), 3 substring; then the shown label
// (chosen language, else German) ignoring case, the shown label, the id.
// placeholders: label
// params: needle: string (trimmed, lower case), own: string (label_<lang>),
//         german: string (label_de), separators: [string], limit: int
// returns: id: string, props: map
MATCH (n:<<label>>)
WITH n, n[$own] AS own, n[$german] AS german
WITH n, coalesce(own, german) AS shown,
     [t IN [own, german] WHERE t IS NOT NULL | toLower(toString(t))] AS texts
WHERE any(t IN texts WHERE t CONTAINS $needle)
WITH n, shown,
     reduce(best = 4, t IN texts |
       CASE
         WHEN t = $needle THEN 0
         WHEN best > 1 AND t STARTS WITH $needle THEN 1
         WHEN best > 2 AND any(s IN $separators WHERE t CONTAINS (s + $needle)) THEN 2
         WHEN best > 3 AND t CONTAINS $needle THEN 3
         ELSE best
       END) AS rank
RETURN n.id AS id, properties(n) AS props
ORDER BY rank, toLower(shown), shown, id
LIMIT $limit
