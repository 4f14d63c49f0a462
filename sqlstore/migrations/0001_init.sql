-- Coalition schema, version 1. One file for both engines: {{ID}} becomes an
-- auto-increment primary key of each dialect. Dates are ISO text
-- (YYYY-MM-DD), timestamps RFC 3339 UTC text, months integers (year*12 +
-- month-1), money integer minor units.

CREATE TABLE countries (
    iso3            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    gdp_usd_bn      DOUBLE PRECISION,
    gdp_year        INTEGER NOT NULL DEFAULT 0,
    population_m    DOUBLE PRECISION,
    defence_pct_gdp DOUBLE PRECISION,
    defence_year    INTEGER NOT NULL DEFAULT 0,
    defence_source  TEXT NOT NULL DEFAULT '',
    state           INTEGER NOT NULL DEFAULT 1,
    source          TEXT NOT NULL
);

CREATE TABLE alliance_groups (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT ''
);

CREATE TABLE group_members (
    group_code TEXT NOT NULL REFERENCES alliance_groups (code) ON DELETE CASCADE,
    iso3       TEXT NOT NULL REFERENCES countries (iso3),
    since      TEXT,
    until      TEXT,
    PRIMARY KEY (group_code, iso3)
);

CREATE TABLE coalitions (
    id         {{ID}},
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    purpose    TEXT NOT NULL DEFAULT '',
    recipient  TEXT NOT NULL REFERENCES countries (iso3),
    leads      TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL DEFAULT '',
    version    BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE coalition_members (
    coalition_id BIGINT NOT NULL REFERENCES coalitions (id) ON DELETE CASCADE,
    iso3         TEXT NOT NULL REFERENCES countries (iso3),
    status       TEXT NOT NULL,
    since        TEXT,
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (coalition_id, iso3)
);

CREATE TABLE pledges (
    id               {{ID}},
    donor            TEXT NOT NULL REFERENCES countries (iso3),
    recipient        TEXT NOT NULL REFERENCES countries (iso3),
    coalition_id     BIGINT REFERENCES coalitions (id),
    category         TEXT NOT NULL,
    support_type     TEXT NOT NULL,
    amount_minor     BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    amount_eur_minor BIGINT NOT NULL,
    fx_rate          DOUBLE PRECISION NOT NULL DEFAULT 1,
    fx_month         INTEGER NOT NULL DEFAULT 0,
    quantity         BIGINT,
    unit             TEXT NOT NULL DEFAULT '',
    announced        TEXT NOT NULL,
    deliver_from     INTEGER NOT NULL DEFAULT 0,
    deliver_to       INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL,
    conditions       TEXT NOT NULL DEFAULT '',
    visibility       TEXT NOT NULL,
    source           TEXT NOT NULL,
    source_ref       TEXT NOT NULL DEFAULT '',
    as_of            TEXT,
    provenance       TEXT NOT NULL DEFAULT '',
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX pledges_source_ref ON pledges (source, source_ref) WHERE source_ref <> '';
CREATE INDEX pledges_donor_announced ON pledges (donor, announced);
CREATE INDEX pledges_announced ON pledges (announced);
CREATE INDEX pledges_category ON pledges (category);

CREATE TABLE deliveries (
    id               {{ID}},
    pledge_id        BIGINT NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    date             TEXT NOT NULL,
    amount_eur_minor BIGINT NOT NULL DEFAULT 0,
    quantity         BIGINT,
    source           TEXT NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL
);
CREATE INDEX deliveries_pledge ON deliveries (pledge_id);

CREATE TABLE requirements (
    id                   {{ID}},
    coalition_id         BIGINT REFERENCES coalitions (id),
    recipient            TEXT NOT NULL REFERENCES countries (iso3),
    category             TEXT NOT NULL,
    amount_eur_minor     BIGINT NOT NULL DEFAULT 0,
    quantity             BIGINT,
    unit_value_eur_minor BIGINT NOT NULL DEFAULT 0,
    from_month           INTEGER NOT NULL,
    to_month             INTEGER NOT NULL,
    priority             INTEGER NOT NULL DEFAULT 0,
    visibility           TEXT NOT NULL,
    source               TEXT NOT NULL,
    version              BIGINT NOT NULL DEFAULT 1,
    created_at           TEXT NOT NULL
);
CREATE INDEX requirements_coalition ON requirements (coalition_id);

CREATE TABLE engagements (
    id           {{ID}},
    date         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    summary      TEXT NOT NULL DEFAULT '',
    topics       TEXT NOT NULL DEFAULT '',
    asks         TEXT NOT NULL DEFAULT '',
    outcomes     TEXT NOT NULL DEFAULT '',
    owner        TEXT NOT NULL DEFAULT '',
    coalition_id BIGINT REFERENCES coalitions (id),
    visibility   TEXT NOT NULL,
    source       TEXT NOT NULL,
    source_ref   TEXT NOT NULL DEFAULT '',
    provenance   TEXT NOT NULL DEFAULT '',
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX engagements_source_ref ON engagements (source, source_ref) WHERE source_ref <> '';
CREATE INDEX engagements_date ON engagements (date);

CREATE TABLE engagement_participants (
    engagement_id BIGINT NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
    pos           INTEGER NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL DEFAULT '',
    iso3          TEXT NOT NULL,
    PRIMARY KEY (engagement_id, pos)
);
CREATE INDEX engagement_participants_iso3 ON engagement_participants (iso3);

CREATE TABLE people (
    id      {{ID}},
    name    TEXT NOT NULL UNIQUE,
    aliases TEXT NOT NULL DEFAULT ''
);

CREATE TABLE offices (
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    pos        INTEGER NOT NULL,
    iso3       TEXT NOT NULL,
    title      TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT,
    source     TEXT NOT NULL,
    PRIMARY KEY (person_id, pos)
);

CREATE TABLE risk_events (
    id          {{ID}},
    iso3        TEXT NOT NULL REFERENCES countries (iso3),
    date        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    probability DOUBLE PRECISION NOT NULL,
    factor      DOUBLE PRECISION NOT NULL,
    source      TEXT NOT NULL,
    assumption  TEXT NOT NULL DEFAULT '',
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    UNIQUE (iso3, date, kind, label)
);

CREATE TABLE fx_rates (
    month         INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    units_per_eur DOUBLE PRECISION NOT NULL,
    source        TEXT NOT NULL,
    PRIMARY KEY (currency, month)
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
