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
