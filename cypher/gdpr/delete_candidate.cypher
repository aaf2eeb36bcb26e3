// Erase one candidate: the candidate node and every node that exists only about them
// (placements, enrolments, notes, contact requests with OF_CANDIDATE to them), each with
// every relationship touching it. Run after versions/lock took the candidate's write
// lock, in the transaction that also writes the erasure record.
// params: id: string
// returns: deleted: int (0 when there is no such candidate)
MATCH (c:Candidate {id: $id})
OPTIONAL MATCH (x)-[:OF_CANDIDATE]->(c)
WHERE x:Placement OR x:Enrolment OR x:Note OR x:ContactRequest
WITH c, collect(DISTINCT x) AS about
UNWIND about + [c] AS n
DETACH DELETE n
RETURN count(n) AS deleted
