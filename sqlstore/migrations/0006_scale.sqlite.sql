-- Scale (issue 10), SQLite. pledge_rollup holds, per donor, announcement
-- month (YYYY-MM), support type, status, visibility and coalition (0: none),
-- the exact sum of amount_eur_minor, the number of pledges, max(as_of) and
-- min/max(source): everything DonorTotals and MonthlySupport read. Triggers
-- keep it in the same transaction as every write to pledges, whichever code
-- path makes it (CreatePledge, UpdatePledge, DeletePledge, Load, imports,
-- bulk generation, restore). 0006_scale.postgres.sql is the same for
-- PostgreSQL; see docs/scale-out.md.

CREATE TABLE pledge_rollup (
    donor            TEXT NOT NULL,
    month            TEXT NOT NULL,
    support_type     TEXT NOT NULL,
    status           TEXT NOT NULL,
    visibility       TEXT NOT NULL,
    coalition_id     BIGINT NOT NULL,
    amount_eur_minor BIGINT NOT NULL,
    pledges          BIGINT NOT NULL,
    max_as_of        TEXT,
    min_source       TEXT NOT NULL,
    max_source       TEXT NOT NULL,
    PRIMARY KEY (donor, month, support_type, status, visibility, coalition_id)
) WITHOUT ROWID; -- the key is the table: a scan reads it in donor order, no lookups
CREATE INDEX pledge_rollup_month ON pledge_rollup (month);

INSERT INTO pledge_rollup (donor, month, support_type, status, visibility, coalition_id, amount_eur_minor, pledges, max_as_of, min_source, max_source)
SELECT donor, substr(announced, 1, 7), support_type, status, visibility, coalesce(coalition_id, 0),
       sum(amount_eur_minor), count(*), max(as_of), min(source), max(source)
FROM pledges GROUP BY donor, substr(announced, 1, 7), support_type, status, visibility, coalesce(coalition_id, 0);

CREATE TRIGGER pledge_rollup_insert AFTER INSERT ON pledges BEGIN
    INSERT INTO pledge_rollup (donor, month, support_type, status, visibility, coalition_id, amount_eur_minor, pledges, max_as_of, min_source, max_source)
    VALUES (NEW.donor, substr(NEW.announced, 1, 7), NEW.support_type, NEW.status, NEW.visibility, coalesce(NEW.coalition_id, 0),
            NEW.amount_eur_minor, 1, NEW.as_of, NEW.source, NEW.source)
    ON CONFLICT (donor, month, support_type, status, visibility, coalition_id) DO UPDATE SET
        amount_eur_minor = amount_eur_minor + excluded.amount_eur_minor,
        pledges = pledges + 1,
        max_as_of = CASE WHEN excluded.max_as_of IS NULL THEN max_as_of
                         WHEN max_as_of IS NULL OR excluded.max_as_of > max_as_of THEN excluded.max_as_of
                         ELSE max_as_of END,
        min_source = min(min_source, excluded.min_source),
        max_source = max(max_source, excluded.max_source);
END;

-- A delete subtracts, then recomputes max(as_of) and the sources of the
-- one group from the pledges left in it (an index range of one donor-month).
CREATE TRIGGER pledge_rollup_delete AFTER DELETE ON pledges BEGIN
    UPDATE pledge_rollup SET amount_eur_minor = amount_eur_minor - OLD.amount_eur_minor, pledges = pledges - 1,
        (max_as_of, min_source, max_source) = (SELECT max(p.as_of), coalesce(min(p.source), ''), coalesce(max(p.source), '')
            FROM pledges p WHERE p.donor = OLD.donor
            AND p.announced >= substr(OLD.announced, 1, 7) || '-01' AND p.announced <= substr(OLD.announced, 1, 7) || '-31'
            AND p.support_type = OLD.support_type AND p.status = OLD.status AND p.visibility = OLD.visibility
            AND coalesce(p.coalition_id, 0) = coalesce(OLD.coalition_id, 0))
    WHERE donor = OLD.donor AND month = substr(OLD.announced, 1, 7) AND support_type = OLD.support_type
        AND status = OLD.status AND visibility = OLD.visibility AND coalition_id = coalesce(OLD.coalition_id, 0);
    DELETE FROM pledge_rollup WHERE pledges = 0 AND donor = OLD.donor AND month = substr(OLD.announced, 1, 7)
        AND support_type = OLD.support_type AND status = OLD.status AND visibility = OLD.visibility
        AND coalition_id = coalesce(OLD.coalition_id, 0);
END;

-- An update is a delete of the old row and an insert of the new one.
CREATE TRIGGER pledge_rollup_update AFTER UPDATE OF donor, announced, support_type, status, visibility, coalition_id,
        amount_eur_minor, as_of, source ON pledges BEGIN
    UPDATE pledge_rollup SET amount_eur_minor = amount_eur_minor - OLD.amount_eur_minor, pledges = pledges - 1,
        (max_as_of, min_source, max_source) = (SELECT max(p.as_of), coalesce(min(p.source), ''), coalesce(max(p.source), '')
            FROM pledges p WHERE p.donor = OLD.donor
            AND p.announced >= substr(OLD.announced, 1, 7) || '-01' AND p.announced <= substr(OLD.announced, 1, 7) || '-31'
            AND p.support_type = OLD.support_type AND p.status = OLD.status AND p.visibility = OLD.visibility
            AND coalesce(p.coalition_id, 0) = coalesce(OLD.coalition_id, 0))
    WHERE donor = OLD.donor AND month = substr(OLD.announced, 1, 7) AND support_type = OLD.support_type
        AND status = OLD.status AND visibility = OLD.visibility AND coalition_id = coalesce(OLD.coalition_id, 0);
    DELETE FROM pledge_rollup WHERE pledges = 0 AND donor = OLD.donor AND month = substr(OLD.announced, 1, 7)
        AND support_type = OLD.support_type AND status = OLD.status AND visibility = OLD.visibility
        AND coalition_id = coalesce(OLD.coalition_id, 0);
    INSERT INTO pledge_rollup (donor, month, support_type, status, visibility, coalition_id, amount_eur_minor, pledges, max_as_of, min_source, max_source)
    VALUES (NEW.donor, substr(NEW.announced, 1, 7), NEW.support_type, NEW.status, NEW.visibility, coalesce(NEW.coalition_id, 0),
            NEW.amount_eur_minor, 1, NEW.as_of, NEW.source, NEW.source)
    ON CONFLICT (donor, month, support_type, status, visibility, coalition_id) DO UPDATE SET
        amount_eur_minor = amount_eur_minor + excluded.amount_eur_minor,
        pledges = pledges + 1,
        max_as_of = CASE WHEN excluded.max_as_of IS NULL THEN max_as_of
                         WHEN max_as_of IS NULL OR excluded.max_as_of > max_as_of THEN excluded.max_as_of
                         ELSE max_as_of END,
        min_source = min(min_source, excluded.min_source),
        max_source = max(max_source, excluded.max_source);
END;

-- Keyset pages of one donor's pledges (WHERE donor = ? AND id > ? ORDER BY id).
CREATE INDEX pledges_donor_id ON pledges (donor, id);
