-- Totals (SQLite): pledge_totals is pledge_rollup without the month — per
-- donor, support type, status, visibility and coalition (0: none), the
-- exact sum, the number of pledges, max(as_of) and min/max(source) — for
-- donor totals over all months (DonorTotals without a period), which read a
-- few hundred rows instead of every donor-month. It is derived from
-- pledge_rollup by the triggers below, so every path that keeps the rollup
-- (the pledge triggers, an import's merge, RebuildRollup) keeps the totals
-- in the same transaction. Rollup rows never change their key columns.
-- 0007_totals.postgres.sql is the same for PostgreSQL.

CREATE TABLE pledge_totals (
    donor            TEXT NOT NULL,
    support_type     TEXT NOT NULL,
    status           TEXT NOT NULL,
    visibility       TEXT NOT NULL,
    coalition_id     BIGINT NOT NULL,
    amount_eur_minor BIGINT NOT NULL,
    pledges          BIGINT NOT NULL,
    max_as_of        TEXT,
    min_source       TEXT NOT NULL,
    max_source       TEXT NOT NULL,
    PRIMARY KEY (donor, support_type, status, visibility, coalition_id)
) WITHOUT ROWID;

INSERT INTO pledge_totals (donor, support_type, status, visibility, coalition_id, amount_eur_minor, pledges, max_as_of, min_source, max_source)
SELECT donor, support_type, status, visibility, coalition_id, sum(amount_eur_minor), sum(pledges), max(max_as_of), min(min_source), max(max_source)
FROM pledge_rollup GROUP BY donor, support_type, status, visibility, coalition_id;

CREATE TRIGGER pledge_totals_insert AFTER INSERT ON pledge_rollup BEGIN
    INSERT INTO pledge_totals (donor, support_type, status, visibility, coalition_id, amount_eur_minor, pledges, max_as_of, min_source, max_source)
    VALUES (NEW.donor, NEW.support_type, NEW.status, NEW.visibility, NEW.coalition_id, NEW.amount_eur_minor, NEW.pledges, NEW.max_as_of,
            NEW.min_source, NEW.max_source)
    ON CONFLICT (donor, support_type, status, visibility, coalition_id) DO UPDATE SET
        amount_eur_minor = amount_eur_minor + excluded.amount_eur_minor,
        pledges = pledges + excluded.pledges,
        max_as_of = CASE WHEN excluded.max_as_of IS NULL THEN max_as_of
                         WHEN max_as_of IS NULL OR excluded.max_as_of > max_as_of THEN excluded.max_as_of
                         ELSE max_as_of END,
        min_source = min(min_source, excluded.min_source),
        max_source = max(max_source, excluded.max_source);
END;

-- A rollup row that only grew (a pledge added to its group) merges like an
-- insert; one whose max(as_of) or sources may have shrunk (a pledge left
-- the group) has them recomputed from the group's rollup rows.
CREATE TRIGGER pledge_totals_grow AFTER UPDATE ON pledge_rollup
WHEN (OLD.max_as_of IS NULL OR (NEW.max_as_of IS NOT NULL AND NEW.max_as_of >= OLD.max_as_of))
     AND NEW.min_source <= OLD.min_source AND NEW.max_source >= OLD.max_source BEGIN
    UPDATE pledge_totals SET
        amount_eur_minor = amount_eur_minor - OLD.amount_eur_minor + NEW.amount_eur_minor,
        pledges = pledges - OLD.pledges + NEW.pledges,
        max_as_of = CASE WHEN NEW.max_as_of IS NULL THEN max_as_of
                         WHEN max_as_of IS NULL OR NEW.max_as_of > max_as_of THEN NEW.max_as_of
                         ELSE max_as_of END,
        min_source = min(min_source, NEW.min_source),
        max_source = max(max_source, NEW.max_source)
    WHERE donor = NEW.donor AND support_type = NEW.support_type AND status = NEW.status AND visibility = NEW.visibility
        AND coalition_id = NEW.coalition_id;
END;

CREATE TRIGGER pledge_totals_shrink AFTER UPDATE ON pledge_rollup
WHEN NOT ((OLD.max_as_of IS NULL OR (NEW.max_as_of IS NOT NULL AND NEW.max_as_of >= OLD.max_as_of))
     AND NEW.min_source <= OLD.min_source AND NEW.max_source >= OLD.max_source) BEGIN
    UPDATE pledge_totals SET
        amount_eur_minor = amount_eur_minor - OLD.amount_eur_minor + NEW.amount_eur_minor,
        pledges = pledges - OLD.pledges + NEW.pledges,
        (max_as_of, min_source, max_source) = (SELECT max(r.max_as_of), coalesce(min(r.min_source), ''), coalesce(max(r.max_source), '')
            FROM pledge_rollup r WHERE r.donor = NEW.donor AND r.support_type = NEW.support_type AND r.status = NEW.status
            AND r.visibility = NEW.visibility AND r.coalition_id = NEW.coalition_id AND r.pledges > 0)
    WHERE donor = NEW.donor AND support_type = NEW.support_type AND status = NEW.status AND visibility = NEW.visibility
        AND coalition_id = NEW.coalition_id;
END;

CREATE TRIGGER pledge_totals_delete AFTER DELETE ON pledge_rollup BEGIN
    UPDATE pledge_totals SET
        amount_eur_minor = amount_eur_minor - OLD.amount_eur_minor,
        pledges = pledges - OLD.pledges,
        (max_as_of, min_source, max_source) = (SELECT max(r.max_as_of), coalesce(min(r.min_source), ''), coalesce(max(r.max_source), '')
            FROM pledge_rollup r WHERE r.donor = OLD.donor AND r.support_type = OLD.support_type AND r.status = OLD.status
            AND r.visibility = OLD.visibility AND r.coalition_id = OLD.coalition_id AND r.pledges > 0)
    WHERE donor = OLD.donor AND support_type = OLD.support_type AND status = OLD.status AND visibility = OLD.visibility
        AND coalition_id = OLD.coalition_id;
    DELETE FROM pledge_totals WHERE pledges = 0 AND donor = OLD.donor AND support_type = OLD.support_type AND status = OLD.status
        AND visibility = OLD.visibility AND coalition_id = OLD.coalition_id;
END;
