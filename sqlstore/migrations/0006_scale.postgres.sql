-- Scale (issue 10), PostgreSQL. pledge_rollup as in 0006_scale.sqlite.sql:
-- per donor, announcement month (YYYY-MM), support type, status, visibility
-- and coalition (0: none), the exact sum of amount_eur_minor, the number of
-- pledges, max(as_of) and min/max(source). Statement-level triggers with
-- transition tables keep it in the same transaction as every write to
-- pledges (one grouped upsert per statement, so a multi-row INSERT or COPY
-- of 10,000 rows costs one upsert of its few hundred groups).
--
-- Concurrency: the subtracting UPDATE locks the touched rollup rows first;
-- the recompute of max(as_of) and sources is a later statement of the
-- function, so under READ COMMITTED it sees every transaction that changed
-- those groups and committed before the lock was granted.

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
);
CREATE INDEX pledge_rollup_month ON pledge_rollup (month);

INSERT INTO pledge_rollup (donor, month, support_type, status, visibility, coalition_id, amount_eur_minor, pledges, max_as_of, min_source, max_source)
SELECT donor, substr(announced, 1, 7), support_type, status, visibility, coalesce(coalition_id, 0),
       sum(amount_eur_minor), count(*), max(as_of), min(source), max(source)
FROM pledges GROUP BY donor, substr(announced, 1, 7), support_type, status, visibility, coalesce(coalition_id, 0);

-- pledge_rollup_sync subtracts old_rows (DELETE, UPDATE): it subtracts their
-- sums, recomputes max(as_of) and the sources of the groups they left from
-- the pledges still in them, and drops emptied groups; then it adds new_rows
-- (INSERT, UPDATE) with one grouped upsert.
CREATE FUNCTION pledge_rollup_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE pledge_rollup r SET amount_eur_minor = r.amount_eur_minor - o.amount, pledges = r.pledges - o.n
        FROM (SELECT donor, substr(announced, 1, 7) AS month, support_type, status, visibility, coalesce(coalition_id, 0) AS coalition_id,
                     sum(amount_eur_minor) AS amount, count(*) AS n
              FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6) o
        WHERE r.donor = o.donor AND r.month = o.month AND r.support_type = o.support_type AND r.status = o.status
          AND r.visibility = o.visibility AND r.coalition_id = o.coalition_id;
        UPDATE pledge_rollup r SET (max_as_of, min_source, max_source) = (
            SELECT max(p.as_of), coalesce(min(p.source), ''), coalesce(max(p.source), '') FROM pledges p
            WHERE p.donor = r.donor AND p.announced >= r.month || '-01' AND p.announced <= r.month || '-31'
              AND p.support_type = r.support_type AND p.status = r.status AND p.visibility = r.visibility
              AND coalesce(p.coalition_id, 0) = r.coalition_id)
        WHERE (r.donor, r.month, r.support_type, r.status, r.visibility, r.coalition_id) IN (
            SELECT donor, substr(announced, 1, 7), support_type, status, visibility, coalesce(coalition_id, 0) FROM old_rows);
        DELETE FROM pledge_rollup r WHERE r.pledges = 0 AND (r.donor, r.month, r.support_type, r.status, r.visibility, r.coalition_id) IN (
            SELECT donor, substr(announced, 1, 7), support_type, status, visibility, coalesce(coalition_id, 0) FROM old_rows);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO pledge_rollup AS r (donor, month, support_type, status, visibility, coalition_id, amount_eur_minor, pledges, max_as_of, min_source, max_source)
        SELECT donor, substr(announced, 1, 7), support_type, status, visibility, coalesce(coalition_id, 0),
               sum(amount_eur_minor), count(*), max(as_of), min(source), max(source)
        FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (donor, month, support_type, status, visibility, coalition_id) DO UPDATE SET
            amount_eur_minor = r.amount_eur_minor + excluded.amount_eur_minor,
            pledges = r.pledges + excluded.pledges,
            max_as_of = GREATEST(r.max_as_of, excluded.max_as_of),
            min_source = LEAST(r.min_source, excluded.min_source),
            max_source = GREATEST(r.max_source, excluded.max_source);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER pledge_rollup_insert AFTER INSERT ON pledges REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_rollup_sync();
CREATE TRIGGER pledge_rollup_update AFTER UPDATE ON pledges REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_rollup_sync();
CREATE TRIGGER pledge_rollup_delete AFTER DELETE ON pledges REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_rollup_sync();

-- Keyset pages of one donor's pledges (WHERE donor = ? AND id > ? ORDER BY id).
CREATE INDEX pledges_donor_id ON pledges (donor, id);
