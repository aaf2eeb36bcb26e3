// The essential ESCO skills behind a KldB 2010 code: the classes whose code starts with
// it, the ESCO occupations the BA maps them to (only the closest relation found), and
// their essential skills.
// params: code: string, ranks: map (mapping relation -> rank, lower is closer)
// returns: id: string, props: map
MATCH (k:KldbClass)-[m:MAPS_TO]->(o:Occupation)
WHERE k.code STARTS WITH $code
WITH o, min(coalesce($ranks[m.relation], 99)) AS rank
WITH collect({occupation: o, rank: rank}) AS mapped, min(rank) AS best
UNWIND mapped AS x
WITH x
WHERE x.rank = best
MATCH (occupation:Occupation {id: x.occupation.id})-[:ESSENTIAL_SKILL]->(s:Skill)
RETURN DISTINCT s.id AS id, properties(s) AS props
ORDER BY id
