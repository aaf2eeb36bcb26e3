// An offer with company, town, occupation, requirements and the occupation's ESCO
// essential skills.
// params: id: string
// returns: props, company, town, occupation, requirements: [{type, id, level, essential,
//          labels}], occupation_skills: [{id, labels}]
MATCH (o:Offer {id: $id})
OPTIONAL MATCH (co:Company)-[:POSTS]->(o)
OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Town)
OPTIONAL MATCH (o)-[:FOR_OCCUPATION]->(occ:Occupation)
RETURN properties(o) AS props,
       co.id AS company,
       t {.id, .name, .lat, .lon} AS town,
       occ.id AS occupation,
       [(o)-[r:REQUIRES_SKILL|REQUIRES_TOOL|REQUIRES_LANGUAGE]->(i) |
           {type: type(r), id: i.id, level: r.level, essential: r.essential,
            labels: properties(i)}] AS requirements,
       [(occ)-[:ESSENTIAL_SKILL]->(s:Skill) | {id: s.id, labels: properties(s)}]
           AS occupation_skills
