-- The ECB's monthly means of 1999-01 to 2021-12, embedded in the binary
-- (coalition.HistoricRate, issue 24), are the published dataset
-- ecb-fx-history. A database seeded before lists it too: the seed records
-- it on a new database (refdata's releases); here, where the bundled
-- ecb-fx rates are loaded and it is not. 5,046 is the number of rates of
-- data/fx_eur_monthly_1999_2021.csv (coalition.FXHistoryCount), a closed
-- history that no release changes.
INSERT INTO datasets (name, title, release_name, as_of, kind, source, records, loaded_by)
SELECT 'ecb-fx-history', 'ECB euro reference rates, monthly means 1999-01 to 2021-12 (embedded; used for dates before the FX table)',
       'data to 2021-12', '2021-12-31', 'fx_history',
       'ECB euro reference rate; mean of the month''s daily rates; eurofxref-hist.csv (ECB), history 1999-2021', 5046, 'system'
WHERE EXISTS (SELECT 1 FROM datasets WHERE name = 'ecb-fx')
  AND NOT EXISTS (SELECT 1 FROM datasets WHERE name = 'ecb-fx-history');
