-- Monthly (PostgreSQL): pledge_monthly as in 0017_monthly.sqlite.sql —
-- pledge_rollup without the visibility and the coalition, per month, donor,
-- support type and status, with the sums and counts of every pledge and of
-- the public ones — derived from pledge_rollup by statement-level triggers
-- with transition tables, in the same transaction as every change to the
-- rollup. Every change adds or subtracts sums and counts (one grouped
-- statement per statement on the rollup), so concurrent writers commute;
-- a group whose count reaches 0 is dropped.

CREATE TABLE pledge_monthly (
    month            TEXT NOT NULL,
    donor            TEXT NOT NULL,
    support_type     TEXT NOT NULL,
    status           TEXT NOT NULL,
    amount_eur_minor BIGINT NOT NULL,
    pledges          BIGINT NOT NULL,
    public_eur_minor BIGINT NOT NULL,
    public_pledges   BIGINT NOT NULL,
    PRIMARY KEY (month, donor, support_type, status)
);

INSERT INTO pledge_monthly (month, donor, support_type, status, amount_eur_minor, pledges, public_eur_minor, public_pledges)
SELECT month, donor, support_type, status, sum(amount_eur_minor), sum(pledges),
       sum(CASE WHEN visibility = 'public' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN visibility = 'public' THEN pledges ELSE 0 END)
FROM pledge_rollup GROUP BY month, donor, support_type, status;

CREATE FUNCTION pledge_monthly_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO pledge_monthly AS m (month, donor, support_type, status, amount_eur_minor, pledges, public_eur_minor, public_pledges)
        SELECT month, donor, support_type, status, sum(amount_eur_minor), sum(pledges),
               sum(CASE WHEN visibility = 'public' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN visibility = 'public' THEN pledges ELSE 0 END)
        FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (month, donor, support_type, status) DO UPDATE SET
            amount_eur_minor = m.amount_eur_minor + excluded.amount_eur_minor,
            pledges = m.pledges + excluded.pledges,
            public_eur_minor = m.public_eur_minor + excluded.public_eur_minor,
            public_pledges = m.public_pledges + excluded.public_pledges;
        RETURN NULL;
    END IF;
    -- UPDATE and DELETE: what the new rows add less what the old ones take
    -- away, per group (groups that do not change are left alone: the
    -- rollup's recompute of max(as_of) and the sources changes no sum).
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO pledge_monthly AS m (month, donor, support_type, status, amount_eur_minor, pledges, public_eur_minor, public_pledges)
        SELECT month, donor, support_type, status, sum(amount), sum(n), sum(public_amount), sum(public_n)
        FROM (SELECT month, donor, support_type, status, amount_eur_minor AS amount, pledges AS n,
                     CASE WHEN visibility = 'public' THEN amount_eur_minor ELSE 0 END AS public_amount,
                     CASE WHEN visibility = 'public' THEN pledges ELSE 0 END AS public_n
              FROM new_rows
              UNION ALL
              SELECT month, donor, support_type, status, -amount_eur_minor, -pledges,
                     CASE WHEN visibility = 'public' THEN -amount_eur_minor ELSE 0 END,
                     CASE WHEN visibility = 'public' THEN -pledges ELSE 0 END
              FROM old_rows) x
        GROUP BY 1, 2, 3, 4
        HAVING sum(amount) <> 0 OR sum(n) <> 0 OR sum(public_amount) <> 0 OR sum(public_n) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (month, donor, support_type, status) DO UPDATE SET
            amount_eur_minor = m.amount_eur_minor + excluded.amount_eur_minor,
            pledges = m.pledges + excluded.pledges,
            public_eur_minor = m.public_eur_minor + excluded.public_eur_minor,
            public_pledges = m.public_pledges + excluded.public_pledges;
    ELSE
        UPDATE pledge_monthly m SET amount_eur_minor = m.amount_eur_minor - o.amount, pledges = m.pledges - o.n,
            public_eur_minor = m.public_eur_minor - o.public_amount, public_pledges = m.public_pledges - o.public_n
        FROM (SELECT month, donor, support_type, status, sum(amount_eur_minor) AS amount, sum(pledges) AS n,
                     sum(CASE WHEN visibility = 'public' THEN amount_eur_minor ELSE 0 END) AS public_amount,
                     sum(CASE WHEN visibility = 'public' THEN pledges ELSE 0 END) AS public_n
              FROM old_rows GROUP BY 1, 2, 3, 4) o
        WHERE m.month = o.month AND m.donor = o.donor AND m.support_type = o.support_type AND m.status = o.status;
    END IF;
    DELETE FROM pledge_monthly m WHERE m.pledges = 0 AND (m.month, m.donor, m.support_type, m.status) IN (
        SELECT month, donor, support_type, status FROM old_rows);
    RETURN NULL;
END $$;

CREATE TRIGGER pledge_monthly_insert AFTER INSERT ON pledge_rollup REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_monthly_sync();
CREATE TRIGGER pledge_monthly_update AFTER UPDATE ON pledge_rollup REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_monthly_sync();
CREATE TRIGGER pledge_monthly_delete AFTER DELETE ON pledge_rollup REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_monthly_sync();
