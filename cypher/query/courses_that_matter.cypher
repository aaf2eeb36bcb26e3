// The part of the catalogue that can matter for closing a gap: every course that teaches
// a missing item, and, transitively, every course that teaches a prerequisite the
// candidate lacks of such a course. One path query per missing item: a chain
//   first -teaches-> x <-requires (unmet)- course -teaches-> … -teaches-> missing item
// The planner then searches exactly this part.
// params: skill_ids, tool_ids, language_ids: [string] (the missing items)
//         have: map item id -> level rank the candidate holds (languages as CEFR rank)
//         rank: map CEFR level -> rank
// returns: id, weeks, cost, starts, teaches: [{type, id, level}], requires: [{type, id, level}]
CALL () {
  UNWIND $skill_ids AS id MATCH (item:Skill {id: id}) RETURN item
  UNION
  UNWIND $tool_ids AS id MATCH (item:Tool {id: id}) RETURN item
  UNION
  UNWIND $language_ids AS id MATCH (item:Language {id: id}) RETURN item
}
MATCH ANY (first:Course)
      ((:Course)-[:TEACHES_SKILL|TEACHES_TOOL|TEACHES_LANGUAGE]->(x)
          <-[r:REQUIRES_SKILL|REQUIRES_TOOL|REQUIRES_LANGUAGE]-(:Course)
          WHERE coalesce($have[x.id], 0) < coalesce($rank[toString(r.level)], r.level))*
      (:Course)-[:TEACHES_SKILL|TEACHES_TOOL|TEACHES_LANGUAGE]->(item)
WITH DISTINCT first AS c
RETURN c.id AS id, c.weeks AS weeks, c.cost AS cost, c.starts AS starts,
       [(c)-[t:TEACHES_SKILL|TEACHES_TOOL|TEACHES_LANGUAGE]->(i) |
           {type: type(t), id: i.id, level: t.level}] AS teaches,
       [(c)-[q:REQUIRES_SKILL|REQUIRES_TOOL|REQUIRES_LANGUAGE]->(i) |
           {type: type(q), id: i.id, level: q.level}] AS requires
