// Candidates by id with town and levels (the top rows of a match, explained).
// params: ids: [string]
// returns: id, props, town, skills, tools, languages
UNWIND $ids AS wanted
MATCH (c:Candidate {id: wanted})
OPTIONAL MATCH (c)-[:LIVES_IN]->(t:Town)
RETURN c.id AS id,
       properties(c) AS props,
       t {.id, .name, .lat, .lon} AS town,
       [(c)-[h:HAS_SKILL]->(s:Skill) | {id: s.id, level: h.level}] AS skills,
       [(c)-[k:KNOWS_TOOL]->(m:Tool) | {id: m.id, level: k.level}] AS tools,
       [(c)-[sp:SPEAKS]->(l:Language) | {id: l.id, level: sp.level}] AS languages
