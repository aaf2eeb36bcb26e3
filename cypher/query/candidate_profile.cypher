// A candidate with town, skills, tools and languages (for gap analysis and routes).
// params: id: string
// returns: props: map, town: map|null, skills, tools, languages: [{id, level}]
MATCH (c:Candidate {id: $id})
OPTIONAL MATCH (c)-[:LIVES_IN]->(t:Town)
RETURN properties(c) AS props,
       t {.id, .name, .lat, .lon} AS town,
       [(c)-[h:HAS_SKILL]->(s:Skill) | {id: s.id, level: h.level}] AS skills,
       [(c)-[k:KNOWS_TOOL]->(m:Tool) | {id: m.id, level: k.level}] AS tools,
       [(c)-[sp:SPEAKS]->(l:Language) | {id: l.id, level: sp.level}] AS languages
