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
        UPDATE pledge_totals t SET amount_eur_minor = t.amount_eur_minor + d.amount, pledges = t.pledges + d.n
        FROM (SELECT n.donor, n.support_type, n.status, n.visibility, n.coalition_id,
                     sum(n.amount_eur_minor - o.amount_eur_minor) AS amount, sum(n.pledges - o.pledges) AS n
              FROM new_rows n JOIN old_rows o USING (donor, month, support_type, status, visibility, coalition_id)
              GROUP BY 1, 2, 3, 4, 5) d
        WHERE t.donor = d.donor AND t.support_type = d.support_type AND t.status = d.status AND t.visibility = d.visibility
          AND t.coalition_id = d.coalition_id;
    ELSE
        UPDATE pledge_totals t SET amount_eur_minor = t.amount_eur_minor - d.amount, pledges = t.pledges - d.n
        FROM (SELECT donor, support_type, status, visibility, coalition_id, sum(amount_eur_minor) AS amount, sum(pledges) AS n
              FROM old_rows GROUP BY 1, 2, 3, 4, 5) d
        WHERE t.donor = d.donor AND t.support_type = d.support_type AND t.status = d.status AND t.visibility = d.visibility
          AND t.coalition_id = d.coalition_id;
    END IF;
    -- UPDATE and DELETE: recompute max(as_of) and the sources of the groups
    -- touched from their rollup rows, and drop emptied groups.
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
