-- The stage history of pledges (issue 16 §1; coalition.StageEntry): one
-- row per dated step (announced, committed, allocated, delivered,
-- cancelled) with its own amount, euro amount at the pledge's rate, source,
-- who recorded it and, for a correction, why. Append-only: a correction is
-- a new row. Deliveries stay in their own table and are the delivered
-- figure (coalition.PledgeHistory merges them).
--
-- No backfill here: a pledge without rows has the history its record
-- implies (coalition.ImpliedHistory, derived on read), which is what bulk
-- loads and imports leave too; the first step a person records stores
-- the implied rows first, so nothing already said is lost.

CREATE TABLE pledge_stages (
    id               {{ID}},
    pledge_id        BIGINT NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    stage            TEXT NOT NULL,
    date             TEXT NOT NULL,
    amount_minor     BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    amount_eur_minor BIGINT NOT NULL,
    fx_rate          DOUBLE PRECISION NOT NULL DEFAULT 1,
    fx_month         INTEGER NOT NULL DEFAULT 0,
    source           TEXT NOT NULL,
    recorded_by      TEXT NOT NULL DEFAULT '',
    correction       TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL
);
CREATE INDEX pledge_stages_pledge ON pledge_stages (pledge_id, id);
