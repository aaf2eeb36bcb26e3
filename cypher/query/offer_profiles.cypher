// Offers with requirements and place, for matching; optionally only one kind, only open.
// params: kind: string|null, only_open: bool
// returns: id, props, company, town, occupation, requirements, occupation_skills
MATCH (o:Offer)
WHERE ($kind IS NULL OR o.kind = $kind) AND (NOT $only_open OR coalesce(o.open, true))
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
