-- Published datasets and their releases (issue 16 §2). A pledge or FX rate
-- loaded from a release of a published dataset (the Kiel tracker, the
-- ECB's rates) names the dataset and the release; pledges of a dataset are
-- matched on (dataset, source_ref), whatever their citation, so loading the
-- same release twice changes nothing and a newer release replaces the
-- records of the older one. Records entered by people have dataset ''.
-- datasets holds the release loaded of each dataset; records counts only
-- datasets whose figures are columns of countries (the others are counted
-- from their tables).

CREATE TABLE datasets (
    name            TEXT PRIMARY KEY,
    title           TEXT NOT NULL DEFAULT '',
    release_name    TEXT NOT NULL,
    as_of           TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'pledges',
    source          TEXT NOT NULL DEFAULT '',
    sha256          TEXT NOT NULL DEFAULT '',
    records         BIGINT NOT NULL DEFAULT 0,
    loaded_at       TEXT NOT NULL DEFAULT '',
    loaded_by       TEXT NOT NULL DEFAULT ''
);

ALTER TABLE pledges ADD COLUMN dataset TEXT NOT NULL DEFAULT '';
ALTER TABLE pledges ADD COLUMN dataset_release TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX pledges_dataset_ref ON pledges (dataset, source_ref) WHERE dataset <> '';

ALTER TABLE fx_rates ADD COLUMN dataset TEXT NOT NULL DEFAULT '';
ALTER TABLE fx_rates ADD COLUMN dataset_release TEXT NOT NULL DEFAULT '';

-- Databases seeded before: the bundled Kiel pledges are release 29 (data
-- to April 2026), the bundled rates the ECB's to June 2026.
UPDATE pledges SET dataset = 'kiel', dataset_release = '29'
WHERE source = 'Kiel Institute for the World Economy, Ukraine Support Tracker, Release 29 (data to 04/2026), data_explorer.csv'
  AND source_ref <> '';
INSERT INTO datasets (name, title, release_name, as_of, kind, source, loaded_at, loaded_by)
SELECT 'kiel', 'Kiel Institute, Ukraine Support Tracker (data_explorer.csv)', '29', '2026-04-30', 'pledges',
       'Kiel Institute for the World Economy, Ukraine Support Tracker, Release 29 (data to 04/2026), data_explorer.csv',
       coalesce((SELECT max(created_at) FROM pledges WHERE dataset = 'kiel'), ''), 'system'
WHERE EXISTS (SELECT 1 FROM pledges WHERE dataset = 'kiel');

UPDATE fx_rates SET dataset = 'ecb-fx', dataset_release = 'data to 2026-06' WHERE source LIKE 'ECB euro reference rate%';
INSERT INTO datasets (name, title, release_name, as_of, kind, source, loaded_by)
SELECT 'ecb-fx', 'ECB euro reference rates, monthly means (fx_eur_monthly.csv)', 'data to 2026-06', '2026-06-30', 'fx_rates',
       'ECB euro foreign exchange reference rates, monthly means of the daily rates (refdata fx_eur_monthly.csv, fx_sources.md)', 'system'
WHERE EXISTS (SELECT 1 FROM fx_rates WHERE dataset = 'ecb-fx');
