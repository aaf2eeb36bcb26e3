// Offers by id with requirements and place (the top rows of a match, explained).
// params: ids: [string]
// returns: id, props, company, town, occupation, requirements, occupation_skills
UNWIND $ids AS wanted
MATCH (o:Offer {id: wanted})
OPTIONAL MATCH (co:Company)-[:POSTS]->(o)
OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Town)
OPTIONAL MATCH (o)-[:FOR_OCCUPATION]->(occ:Occupation)
RETURN o.id AS id,
       properties(o) AS props,
       co.id AS company,
       t {.id, .name, .lat, .lon} AS town,
       occ.id AS occupation,
       [(o)-[r:REQUIRES_SKILL|REQUIRES_TOOL|REQUIRES_LANGUAGE]->(i) |
           {type: type(r), id: i.id, level: r.level, essential: r.essential,
            labels: properties(i)}] AS requirements,
       [(occ)-[:ESSENTIAL_SKILL]->(s:Skill) | {id: s.id, labels: properties(s)}]
           AS occupation_skills
