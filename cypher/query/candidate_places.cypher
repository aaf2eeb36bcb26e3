// Every candidate's town coordinates and availability (for those who meet nothing of an
// offer, who rank after everyone in candidate_fits).
// returns: id, lat, lon, available_from (ordered by id)
MATCH (c:Candidate)
OPTIONAL MATCH (c)-[:LIVES_IN]->(t:Town)
RETURN c.id AS id, t.lat AS lat, t.lon AS lon, c.available_from AS available_from
ORDER BY id
