-- Saved scenarios: a spec (assumptions) and the result it gave, both JSON
-- text. Visibility as for pledges: owner is the country whose delegates may
-- read a confidential scenario.

CREATE TABLE scenarios (
    id           {{ID}},
    name         TEXT NOT NULL,
    spec         TEXT NOT NULL,
    result       TEXT NOT NULL DEFAULT '',
    coalition_id BIGINT REFERENCES coalitions (id),
    owner        TEXT NOT NULL DEFAULT '',
    visibility   TEXT NOT NULL,
    created_by   BIGINT,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL
);
CREATE INDEX scenarios_coalition ON scenarios (coalition_id);
