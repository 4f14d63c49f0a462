-- Channels (issue 14 §3): multilateral vehicles through which support
-- flows (the EU institutions, NATO's PURL, the Czech ammunition
-- initiative), with their contributors' shares and a source per share.
-- donor is the donor code the channel's own support is recorded under
-- ('' when it is recorded under the contributors). Shares are fractions
-- of 1; coalition.Channel.Validate keeps their sum at most 1.

CREATE TABLE channels (
    id         {{ID}},
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    donor      TEXT NOT NULL DEFAULT '',
    attribution_key TEXT NOT NULL,
    source     TEXT NOT NULL,
    as_of      TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    version    BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE channel_contributors (
    channel_id       BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    iso3             TEXT NOT NULL,
    share            DOUBLE PRECISION NOT NULL,
    amount_eur_minor BIGINT NOT NULL DEFAULT 0,
    source           TEXT NOT NULL,
    as_of            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (channel_id, iso3)
);

-- Commitments of published datasets (issue 14 §4): Kiel's "commitments"
-- and "to_be_allocated" per donor and month, in euro cents. They are
-- stages of the same support as the dataset's allocations (pledges), never
-- added to them: committed includes what was allocated since, the pipeline
-- is what is still to be allocated.
CREATE TABLE commitments (
    dataset                   TEXT NOT NULL,
    dataset_release           TEXT NOT NULL,
    iso3                      TEXT NOT NULL,
    month                     INTEGER NOT NULL,
    committed_eur_minor       BIGINT NOT NULL,
    to_be_allocated_eur_minor BIGINT NOT NULL,
    source                    TEXT NOT NULL,
    as_of                     TEXT NOT NULL,
    PRIMARY KEY (dataset, iso3, month)
);
