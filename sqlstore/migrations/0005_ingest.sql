-- Text ingestion: submitted texts and the review queue of proposals made
-- from them. A proposal becomes a record only when a person accepts it.

CREATE TABLE ingest_texts (
    id           {{ID}},
    title        TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    text_date    TEXT,
    source       TEXT NOT NULL DEFAULT '',
    submitted_by TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);

CREATE TABLE proposals (
    id          {{ID}},
    ingest_id   BIGINT NOT NULL REFERENCES ingest_texts (id) ON DELETE CASCADE,
    type        TEXT NOT NULL,
    record_json TEXT NOT NULL,
    owner       TEXT NOT NULL DEFAULT '',
    evidence    TEXT NOT NULL DEFAULT '[]',
    confidence  DOUBLE PRECISION NOT NULL DEFAULT 0,
    flags       TEXT NOT NULL DEFAULT '[]',
    status      TEXT NOT NULL DEFAULT 'pending',
    decided_by  TEXT NOT NULL DEFAULT '',
    decided_at  TEXT NOT NULL DEFAULT '',
    record_id   BIGINT NOT NULL DEFAULT 0,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL
);
CREATE INDEX proposals_status ON proposals (status, id);
CREATE INDEX proposals_ingest ON proposals (ingest_id);
