-- Imports: natural keys and provenance on deliveries and requirements, so
-- that re-importing a file changes nothing and every record says where it
-- came from.

ALTER TABLE deliveries ADD COLUMN source_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN provenance TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX deliveries_source_ref ON deliveries (source, source_ref) WHERE source_ref <> '';

ALTER TABLE requirements ADD COLUMN source_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE requirements ADD COLUMN provenance TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX requirements_source_ref ON requirements (source, source_ref) WHERE source_ref <> '';

