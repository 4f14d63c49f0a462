-- Force generation for a reassurance force (issue 18 §3): the lines of a
-- coalition's force requirement and the offers members make against them.
-- Offers are visible as pledges are (the offering country is the owner, the
-- line's coalition the coalition); a line is deleted only without offers.
-- quantity and personnel are NULL where the source states none.

CREATE TABLE force_lines (
    id           {{ID}},
    coalition_id BIGINT NOT NULL REFERENCES coalitions (id),
    capability   TEXT NOT NULL,
    unit_type    TEXT NOT NULL,
    quantity     BIGINT,
    personnel    BIGINT,
    from_month   INTEGER NOT NULL DEFAULT 0,
    to_month     INTEGER NOT NULL DEFAULT 0,
    priority     INTEGER NOT NULL DEFAULT 0,
    visibility   TEXT NOT NULL,
    source       TEXT NOT NULL,
    as_of        TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    source_ref   TEXT NOT NULL DEFAULT '',
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL
);
CREATE INDEX force_lines_coalition ON force_lines (coalition_id);

CREATE TABLE force_offers (
    id           {{ID}},
    line_id      BIGINT NOT NULL REFERENCES force_lines (id),
    coalition_id BIGINT NOT NULL REFERENCES coalitions (id),
    country      TEXT NOT NULL REFERENCES countries (iso3),
    unit         TEXT NOT NULL,
    quantity     BIGINT,
    personnel    BIGINT,
    equipment    TEXT NOT NULL DEFAULT '',
    readiness    TEXT NOT NULL DEFAULT '',
    duration     TEXT NOT NULL DEFAULT '',
    conditions   TEXT NOT NULL DEFAULT '', -- comma-separated condition codes
    is_lead      INTEGER NOT NULL DEFAULT 0,
    visibility   TEXT NOT NULL,
    source       TEXT NOT NULL,
    as_of        TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    source_ref   TEXT NOT NULL DEFAULT '',
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL
);
CREATE INDEX force_offers_line ON force_offers (line_id);
CREATE INDEX force_offers_coalition ON force_offers (coalition_id);
