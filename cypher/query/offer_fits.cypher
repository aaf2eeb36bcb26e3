// How well one candidate covers each offer, best first: the first three keys of the
// documented fit order, computed in the database so that only the top rows travel.
// params: have: map item id -> the candidate's level rank; rank: map CEFR -> rank;
//         language_rel: the name of the language requirement type; kind: string|null;
//         only_open: bool
// returns: id, lat, lon, essential_met, essential_total, optional_met, optional_total,
//          language_met, language_total (ordered by the coverage shares, then id)
MATCH (o:Offer)
WHERE ($kind IS NULL OR o.kind = $kind) AND (NOT $only_open OR coalesce(o.open, true))
OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Town)
WITH o, t,
     [(o)-[r:REQUIRES_SKILL|REQUIRES_TOOL|REQUIRES_LANGUAGE]->(i) |
         {essential: coalesce(r.essential, true),
          language: type(r) = $language_rel,
          met: coalesce($have[i.id], 0) >= coalesce($rank[toString(r.level)], r.level)}]
         AS reqs
WITH o, t,
     size([q IN reqs WHERE q.essential AND q.met]) AS essential_met,
     size([q IN reqs WHERE q.essential]) AS essential_total,
     size([q IN reqs WHERE NOT q.essential AND q.met]) AS optional_met,
     size([q IN reqs WHERE NOT q.essential]) AS optional_total,
     size([q IN reqs WHERE q.language AND q.met]) AS language_met,
     size([q IN reqs WHERE q.language]) AS language_total
RETURN o.id AS id, t.lat AS lat, t.lon AS lon,
       essential_met, essential_total, optional_met, optional_total,
       language_met, language_total
ORDER BY
  CASE essential_total WHEN 0 THEN 1.0 ELSE toFloat(essential_met) / essential_total END DESC,
  CASE optional_total WHEN 0 THEN 1.0 ELSE toFloat(optional_met) / optional_total END DESC,
  CASE language_total WHEN 0 THEN 1.0 ELSE toFloat(language_met) / language_total END DESC,
  id
