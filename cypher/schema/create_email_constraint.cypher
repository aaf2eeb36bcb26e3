// Uniqueness of `email` within one label (users): two logins never share an address,
// even when two app processes create them at the same moment.
// placeholders: label
CREATE CONSTRAINT <<label>>_email IF NOT EXISTS
FOR (n:<<label>>) REQUIRE n.email IS UNIQUE
