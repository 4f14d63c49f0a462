-- What a requirement covers (issue 14 §1): the capability needed (e.g.
-- "155 mm artillery shells", "external budget financing gap"), its unit,
-- the date of the figure (as_of, YYYY-MM-DD) and a note of what it covers.
-- Empty for requirements entered before.

ALTER TABLE requirements ADD COLUMN capability TEXT NOT NULL DEFAULT '';
ALTER TABLE requirements ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE requirements ADD COLUMN as_of TEXT NOT NULL DEFAULT '';
ALTER TABLE requirements ADD COLUMN note TEXT NOT NULL DEFAULT '';
