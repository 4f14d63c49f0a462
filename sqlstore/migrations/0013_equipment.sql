-- Equipment pledged and delivered (issue 18 §1): the catalogue of weapon
-- systems and munitions, and records of a donor's units of one system
-- pledged and delivered. Records are visible as pledges are (the donor is
-- the owner); those of a published dataset (Kiel's heavy-weapons table,
-- dataset 'kiel-weapons') are matched on (dataset, source_ref), so loading
-- the same release twice changes nothing.

CREATE TABLE systems (
    name             TEXT PRIMARY KEY,
    category         TEXT NOT NULL,
    kind             TEXT NOT NULL DEFAULT '',
    unit             TEXT NOT NULL DEFAULT '',
    producers        TEXT NOT NULL DEFAULT '',
    unit_cost_eur    DOUBLE PRECISION,
    unit_cost_source TEXT NOT NULL DEFAULT '',
    catalogued       INTEGER NOT NULL DEFAULT 0, -- 1: in the bundled catalogue; 0: a name a dataset gave
    source           TEXT NOT NULL
);

CREATE TABLE equipment (
    id              {{ID}},
    donor           TEXT NOT NULL REFERENCES countries (iso3),
    system          TEXT NOT NULL REFERENCES systems (name),
    category        TEXT NOT NULL,
    pledged         BIGINT NOT NULL DEFAULT 0,
    delivered       BIGINT NOT NULL DEFAULT 0,
    pledged_on      TEXT,
    delivered_by    TEXT,
    value_eur_minor BIGINT,
    pledge_id       BIGINT REFERENCES pledges (id) ON DELETE SET NULL,
    coalition_id    BIGINT REFERENCES coalitions (id),
    visibility      TEXT NOT NULL,
    source          TEXT NOT NULL,
    source_ref      TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    dataset         TEXT NOT NULL DEFAULT '',
    dataset_release TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL
);
CREATE INDEX equipment_donor ON equipment (donor);
CREATE UNIQUE INDEX equipment_dataset_ref ON equipment (dataset, source_ref) WHERE dataset <> '';
