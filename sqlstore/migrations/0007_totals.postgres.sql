-- Totals (PostgreSQL): pledge_totals as in 0007_totals.sqlite.sql —
-- pledge_rollup without the month, for donor totals over all months —
-- derived from pledge_rollup by statement-level triggers with transition
-- tables, in the same transaction as every change to the rollup. Rollup
-- rows never change their key columns.
--
-- Concurrency as for the rollup (0006): the statement that adds or
-- subtracts locks the touched totals rows first; the recompute of
-- max(as_of) and the sources is a later statement, so under READ COMMITTED
-- it sees every transaction that changed those groups and committed before
-- the lock was granted.

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
);

INSERT INTO pledge_totals (donor, support_type, status, visibility, coalition_id, amount_eur_minor, pledges, max_as_of, min_source, max_source)
SELECT donor, support_type, status, visibility, coalition_id, sum(amount_eur_minor), sum(pledges), max(max_as_of), min(min_source), max(max_source)
FROM pledge_rollup GROUP BY donor, support_type, status, visibility, coalition_id;

CREATE FUNCTION pledge_totals_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO pledge_totals AS t (donor, support_type, status, visibility, coalition_id, amount_eur_minor, pledges, max_as_of, min_source, max_source)
        SELECT donor, support_type, status, visibility, coalition_id, sum(amount_eur_minor), sum(pledges), max(max_as_of), min(min_source), max(max_source)
        FROM new_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (donor, support_type, status, visibility, coalition_id) DO UPDATE SET
            amount_eur_minor = t.amount_eur_minor + excluded.amount_eur_minor,
            pledges = t.pledges + excluded.pledges,
            max_as_of = GREATEST(t.max_as_of, excluded.max_as_of),
            min_source = LEAST(t.min_source, excluded.min_source),
            max_source = GREATEST(t.max_source, excluded.max_source);
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        -- Per totals group: what the statement's new rollup rows add and
        -- its old ones take away, aggregated without pairing the rows (a
        -- join of the transition tables, which have no statistics, can
        -- degrade into a nested loop). A group whose new rows reach the
        -- old ones' max(as_of) and sources merges by max/min (the values
        -- that left are dominated); the others are recomputed below.
        UPDATE pledge_totals t SET amount_eur_minor = t.amount_eur_minor + g.amount, pledges = t.pledges + g.n,
            max_as_of = CASE WHEN g.grew THEN GREATEST(t.max_as_of, g.new_max_as_of) ELSE t.max_as_of END,
            min_source = CASE WHEN g.grew THEN LEAST(t.min_source, g.new_min_source) ELSE t.min_source END,
            max_source = CASE WHEN g.grew THEN GREATEST(t.max_source, g.new_max_source) ELSE t.max_source END
        FROM (SELECT donor, support_type, status, visibility, coalition_id, sum(amount) AS amount, sum(n) AS n,
                     max(new_max_as_of) AS new_max_as_of, min(new_min_source) AS new_min_source, max(new_max_source) AS new_max_source,
                     (max(old_max_as_of) IS NULL OR max(new_max_as_of) >= max(old_max_as_of))
                        AND min(new_min_source) <= min(old_min_source) AND max(new_max_source) >= max(old_max_source) AS grew
              FROM (SELECT donor, support_type, status, visibility, coalition_id, amount_eur_minor AS amount, pledges AS n,
                           max_as_of AS new_max_as_of, min_source AS new_min_source, max_source AS new_max_source,
                           NULL::text AS old_max_as_of, NULL::text AS old_min_source, NULL::text AS old_max_source
                    FROM new_rows
                    UNION ALL
                    SELECT donor, support_type, status, visibility, coalition_id, -amount_eur_minor, -pledges,
                           NULL, NULL, NULL, max_as_of, min_source, max_source
                    FROM old_rows) x
              GROUP BY 1, 2, 3, 4, 5) g
        WHERE t.donor = g.donor AND t.support_type = g.support_type AND t.status = g.status AND t.visibility = g.visibility
          AND t.coalition_id = g.coalition_id;
        UPDATE pledge_totals t SET (max_as_of, min_source, max_source) = (
            SELECT max(r.max_as_of), coalesce(min(r.min_source), ''), coalesce(max(r.max_source), '') FROM pledge_rollup r
            WHERE r.donor = t.donor AND r.support_type = t.support_type AND r.status = t.status AND r.visibility = t.visibility
              AND r.coalition_id = t.coalition_id AND r.pledges > 0)
        FROM (SELECT donor, support_type, status, visibility, coalition_id
              FROM (SELECT donor, support_type, status, visibility, coalition_id, max_as_of AS new_max_as_of, min_source AS new_min_source,
                           max_source AS new_max_source, NULL::text AS old_max_as_of, NULL::text AS old_min_source, NULL::text AS old_max_source
                    FROM new_rows
                    UNION ALL
                    SELECT donor, support_type, status, visibility, coalition_id, NULL, NULL, NULL, max_as_of, min_source, max_source
                    FROM old_rows) x
              GROUP BY 1, 2, 3, 4, 5
              HAVING NOT coalesce((max(old_max_as_of) IS NULL OR max(new_max_as_of) >= max(old_max_as_of))
                        AND min(new_min_source) <= min(old_min_source) AND max(new_max_source) >= max(old_max_source), false)) g
        WHERE t.donor = g.donor AND t.support_type = g.support_type AND t.status = g.status AND t.visibility = g.visibility
          AND t.coalition_id = g.coalition_id;
        RETURN NULL;
    END IF;
    -- DELETE: subtract, recompute max(as_of) and the sources of the groups
    -- touched from their rollup rows, and drop emptied groups.
    UPDATE pledge_totals t SET amount_eur_minor = t.amount_eur_minor - d.amount, pledges = t.pledges - d.n
    FROM (SELECT donor, support_type, status, visibility, coalition_id, sum(amount_eur_minor) AS amount, sum(pledges) AS n
          FROM old_rows GROUP BY 1, 2, 3, 4, 5) d
    WHERE t.donor = d.donor AND t.support_type = d.support_type AND t.status = d.status AND t.visibility = d.visibility
      AND t.coalition_id = d.coalition_id;
    UPDATE pledge_totals t SET (max_as_of, min_source, max_source) = (
        SELECT max(r.max_as_of), coalesce(min(r.min_source), ''), coalesce(max(r.max_source), '') FROM pledge_rollup r
        WHERE r.donor = t.donor AND r.support_type = t.support_type AND r.status = t.status AND r.visibility = t.visibility
          AND r.coalition_id = t.coalition_id AND r.pledges > 0)
    WHERE (t.donor, t.support_type, t.status, t.visibility, t.coalition_id) IN (
        SELECT donor, support_type, status, visibility, coalition_id FROM old_rows);
    DELETE FROM pledge_totals t WHERE t.pledges = 0 AND (t.donor, t.support_type, t.status, t.visibility, t.coalition_id) IN (
        SELECT donor, support_type, status, visibility, coalition_id FROM old_rows);
    RETURN NULL;
END $$;

CREATE TRIGGER pledge_totals_insert AFTER INSERT ON pledge_rollup REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_totals_sync();
CREATE TRIGGER pledge_totals_update AFTER UPDATE ON pledge_rollup REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_totals_sync();
CREATE TRIGGER pledge_totals_delete AFTER DELETE ON pledge_rollup REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_totals_sync();
