// Number of nodes with one label (answered from the count store).
// placeholders: label
// returns: count: int
MATCH (n:<<label>>)
RETURN count(n) AS count
