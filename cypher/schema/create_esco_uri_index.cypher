// Lookup of taxonomy nodes by their ESCO URI (ESCO imports, labels in a second language).
// placeholders: label
CREATE INDEX <<label>>_esco_uri IF NOT EXISTS
FOR (n:<<label>>) ON (n.esco_uri)
