// Candidates that meet at least one requirement of an offer, with how many they meet,
// best first (the first three keys of the documented fit order; the offer's totals are
// the same for everyone, so counts order like shares). Starting from the required items
// keeps this to the candidates that hold them; the rest meet nothing and come last.
// params: skill_reqs, tool_reqs, language_reqs: [{id, key, rank, essential, language}];
//         rank: map CEFR -> rank
// returns: id, lat, lon, available_from, essential_met, optional_met, language_met,
//          essential_met_items (["kind:id", …] of the essential requirements met)
CALL () {
  UNWIND $skill_reqs AS req
  MATCH (:Skill {id: req.id})<-[h:HAS_SKILL]-(c:Candidate)
  WHERE h.level >= req.rank
  RETURN c, req
  UNION ALL
  UNWIND $tool_reqs AS req
  MATCH (:Tool {id: req.id})<-[h:KNOWS_TOOL]-(c:Candidate)
  WHERE h.level >= req.rank
  RETURN c, req
  UNION ALL
  UNWIND $language_reqs AS req
  MATCH (:Language {id: req.id})<-[h:SPEAKS]-(c:Candidate)
  WHERE $rank[h.level] >= req.rank
  RETURN c, req
}
WITH c,
     sum(CASE WHEN req.essential THEN 1 ELSE 0 END) AS essential_met,
     sum(CASE WHEN req.essential THEN 0 ELSE 1 END) AS optional_met,
     sum(CASE WHEN req.language THEN 1 ELSE 0 END) AS language_met,
     collect(CASE WHEN req.essential THEN req.key END) AS essential_met_items
OPTIONAL MATCH (c)-[:LIVES_IN]->(t:Town)
RETURN c.id AS id, t.lat AS lat, t.lon AS lon, c.available_from AS available_from,
       essential_met, optional_met, language_met, essential_met_items
ORDER BY essential_met DESC, optional_met DESC, language_met DESC, id
