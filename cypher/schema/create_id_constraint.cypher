// Uniqueness of `id` within one label; also the index every lookup by id uses.
// placeholders: label
CREATE CONSTRAINT <<label>>_id IF NOT EXISTS
FOR (n:<<label>>) REQUIRE n.id IS UNIQUE
