-- Monthly (PostgreSQL): pledge_monthly as in 0017_monthly.sqlite.sql —
-- pledge_rollup pivoted per month, donor and support type, with the sum and
-- count of each status's pledges and of its public ones — derived from
-- pledge_rollup by statement-level triggers with transition tables, in the
-- same transaction as every change to the rollup: an insert adds the new
-- rows (one grouped upsert per statement, in key order), an update or a
-- delete adds to the groups what their rollup rows gained or lost (one
-- grouped update), so concurrent writers commute; a group whose counts
-- reach 0 is dropped.

CREATE TABLE pledge_monthly (
    month                  TEXT NOT NULL,
    donor                  TEXT NOT NULL,
    support_type           TEXT NOT NULL,
    announced_eur          BIGINT NOT NULL DEFAULT 0,
    announced_n            BIGINT NOT NULL DEFAULT 0,
    announced_public_eur   BIGINT NOT NULL DEFAULT 0,
    announced_public_n     BIGINT NOT NULL DEFAULT 0,
    committed_eur          BIGINT NOT NULL DEFAULT 0,
    committed_n            BIGINT NOT NULL DEFAULT 0,
    committed_public_eur   BIGINT NOT NULL DEFAULT 0,
    committed_public_n     BIGINT NOT NULL DEFAULT 0,
    allocated_eur          BIGINT NOT NULL DEFAULT 0,
    allocated_n            BIGINT NOT NULL DEFAULT 0,
    allocated_public_eur   BIGINT NOT NULL DEFAULT 0,
    allocated_public_n     BIGINT NOT NULL DEFAULT 0,
    delivered_eur          BIGINT NOT NULL DEFAULT 0,
    delivered_n            BIGINT NOT NULL DEFAULT 0,
    delivered_public_eur   BIGINT NOT NULL DEFAULT 0,
    delivered_public_n     BIGINT NOT NULL DEFAULT 0,
    cancelled_eur          BIGINT NOT NULL DEFAULT 0,
    cancelled_n            BIGINT NOT NULL DEFAULT 0,
    cancelled_public_eur   BIGINT NOT NULL DEFAULT 0,
    cancelled_public_n     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, donor, support_type)
);

INSERT INTO pledge_monthly (month, donor, support_type,
    announced_eur, announced_n, announced_public_eur, announced_public_n,
    committed_eur, committed_n, committed_public_eur, committed_public_n,
    allocated_eur, allocated_n, allocated_public_eur, allocated_public_n,
    delivered_eur, delivered_n, delivered_public_eur, delivered_public_n,
    cancelled_eur, cancelled_n, cancelled_public_eur, cancelled_public_n)
SELECT month, donor, support_type,
    sum(CASE WHEN status = 'announced' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN status = 'announced' THEN pledges ELSE 0 END),
    sum(CASE WHEN status = 'announced' AND visibility = 'public' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN status = 'announced' AND visibility = 'public' THEN pledges ELSE 0 END),
    sum(CASE WHEN status = 'committed' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN status = 'committed' THEN pledges ELSE 0 END),
    sum(CASE WHEN status = 'committed' AND visibility = 'public' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN status = 'committed' AND visibility = 'public' THEN pledges ELSE 0 END),
    sum(CASE WHEN status = 'allocated' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN status = 'allocated' THEN pledges ELSE 0 END),
    sum(CASE WHEN status = 'allocated' AND visibility = 'public' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN status = 'allocated' AND visibility = 'public' THEN pledges ELSE 0 END),
    sum(CASE WHEN status = 'delivered' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN status = 'delivered' THEN pledges ELSE 0 END),
    sum(CASE WHEN status = 'delivered' AND visibility = 'public' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN status = 'delivered' AND visibility = 'public' THEN pledges ELSE 0 END),
    sum(CASE WHEN status = 'cancelled' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN status = 'cancelled' THEN pledges ELSE 0 END),
    sum(CASE WHEN status = 'cancelled' AND visibility = 'public' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN status = 'cancelled' AND visibility = 'public' THEN pledges ELSE 0 END)
FROM pledge_rollup WHERE status IN ('announced', 'committed', 'allocated', 'delivered', 'cancelled')
GROUP BY month, donor, support_type;

CREATE FUNCTION pledge_monthly_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO pledge_monthly AS m (month, donor, support_type,
            announced_eur, announced_n, announced_public_eur, announced_public_n,
            committed_eur, committed_n, committed_public_eur, committed_public_n,
            allocated_eur, allocated_n, allocated_public_eur, allocated_public_n,
            delivered_eur, delivered_n, delivered_public_eur, delivered_public_n,
            cancelled_eur, cancelled_n, cancelled_public_eur, cancelled_public_n)
        SELECT d.month, d.donor, d.support_type,
               sum(CASE WHEN d.status = 'announced' THEN d.amount ELSE 0 END), sum(CASE WHEN d.status = 'announced' THEN d.n ELSE 0 END),
               sum(CASE WHEN d.status = 'announced' AND d.visibility = 'public' THEN d.amount ELSE 0 END), sum(CASE WHEN d.status = 'announced' AND d.visibility = 'public' THEN d.n ELSE 0 END),
               sum(CASE WHEN d.status = 'committed' THEN d.amount ELSE 0 END), sum(CASE WHEN d.status = 'committed' THEN d.n ELSE 0 END),
               sum(CASE WHEN d.status = 'committed' AND d.visibility = 'public' THEN d.amount ELSE 0 END), sum(CASE WHEN d.status = 'committed' AND d.visibility = 'public' THEN d.n ELSE 0 END),
               sum(CASE WHEN d.status = 'allocated' THEN d.amount ELSE 0 END), sum(CASE WHEN d.status = 'allocated' THEN d.n ELSE 0 END),
               sum(CASE WHEN d.status = 'allocated' AND d.visibility = 'public' THEN d.amount ELSE 0 END), sum(CASE WHEN d.status = 'allocated' AND d.visibility = 'public' THEN d.n ELSE 0 END),
               sum(CASE WHEN d.status = 'delivered' THEN d.amount ELSE 0 END), sum(CASE WHEN d.status = 'delivered' THEN d.n ELSE 0 END),
               sum(CASE WHEN d.status = 'delivered' AND d.visibility = 'public' THEN d.amount ELSE 0 END), sum(CASE WHEN d.status = 'delivered' AND d.visibility = 'public' THEN d.n ELSE 0 END),
               sum(CASE WHEN d.status = 'cancelled' THEN d.amount ELSE 0 END), sum(CASE WHEN d.status = 'cancelled' THEN d.n ELSE 0 END),
               sum(CASE WHEN d.status = 'cancelled' AND d.visibility = 'public' THEN d.amount ELSE 0 END), sum(CASE WHEN d.status = 'cancelled' AND d.visibility = 'public' THEN d.n ELSE 0 END)
        FROM (SELECT month, donor, support_type, status, visibility, amount_eur_minor AS amount, pledges AS n FROM new_rows WHERE status IN ('announced', 'committed', 'allocated', 'delivered', 'cancelled')) d
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (month, donor, support_type) DO UPDATE SET
            announced_eur = m.announced_eur + excluded.announced_eur, announced_n = m.announced_n + excluded.announced_n,
            announced_public_eur = m.announced_public_eur + excluded.announced_public_eur, announced_public_n = m.announced_public_n + excluded.announced_public_n,
            committed_eur = m.committed_eur + excluded.committed_eur, committed_n = m.committed_n + excluded.committed_n,
            committed_public_eur = m.committed_public_eur + excluded.committed_public_eur, committed_public_n = m.committed_public_n + excluded.committed_public_n,
            allocated_eur = m.allocated_eur + excluded.allocated_eur, allocated_n = m.allocated_n + excluded.allocated_n,
            allocated_public_eur = m.allocated_public_eur + excluded.allocated_public_eur, allocated_public_n = m.allocated_public_n + excluded.allocated_public_n,
            delivered_eur = m.delivered_eur + excluded.delivered_eur, delivered_n = m.delivered_n + excluded.delivered_n,
            delivered_public_eur = m.delivered_public_eur + excluded.delivered_public_eur, delivered_public_n = m.delivered_public_n + excluded.delivered_public_n,
            cancelled_eur = m.cancelled_eur + excluded.cancelled_eur, cancelled_n = m.cancelled_n + excluded.cancelled_n,
            cancelled_public_eur = m.cancelled_public_eur + excluded.cancelled_public_eur, cancelled_public_n = m.cancelled_public_n + excluded.cancelled_public_n;
        RETURN NULL;
    END IF;
    -- UPDATE and DELETE change groups that are there: what the new rows add
    -- less what the old ones take away (rollup rows that do not change are
    -- left out: the rollup's recompute of max(as_of) and the sources
    -- changes no sum).
    IF TG_OP = 'UPDATE' THEN
        UPDATE pledge_monthly m SET
            announced_eur = m.announced_eur + d.announced_eur, announced_n = m.announced_n + d.announced_n,
            announced_public_eur = m.announced_public_eur + d.announced_public_eur, announced_public_n = m.announced_public_n + d.announced_public_n,
            committed_eur = m.committed_eur + d.committed_eur, committed_n = m.committed_n + d.committed_n,
            committed_public_eur = m.committed_public_eur + d.committed_public_eur, committed_public_n = m.committed_public_n + d.committed_public_n,
            allocated_eur = m.allocated_eur + d.allocated_eur, allocated_n = m.allocated_n + d.allocated_n,
            allocated_public_eur = m.allocated_public_eur + d.allocated_public_eur, allocated_public_n = m.allocated_public_n + d.allocated_public_n,
            delivered_eur = m.delivered_eur + d.delivered_eur, delivered_n = m.delivered_n + d.delivered_n,
            delivered_public_eur = m.delivered_public_eur + d.delivered_public_eur, delivered_public_n = m.delivered_public_n + d.delivered_public_n,
            cancelled_eur = m.cancelled_eur + d.cancelled_eur, cancelled_n = m.cancelled_n + d.cancelled_n,
            cancelled_public_eur = m.cancelled_public_eur + d.cancelled_public_eur, cancelled_public_n = m.cancelled_public_n + d.cancelled_public_n
        FROM (SELECT x.month, x.donor, x.support_type,
                     sum(CASE WHEN x.status = 'announced' THEN x.amount ELSE 0 END) AS announced_eur, sum(CASE WHEN x.status = 'announced' THEN x.n ELSE 0 END) AS announced_n,
                     sum(CASE WHEN x.status = 'announced' AND x.visibility = 'public' THEN x.amount ELSE 0 END) AS announced_public_eur, sum(CASE WHEN x.status = 'announced' AND x.visibility = 'public' THEN x.n ELSE 0 END) AS announced_public_n,
                     sum(CASE WHEN x.status = 'committed' THEN x.amount ELSE 0 END) AS committed_eur, sum(CASE WHEN x.status = 'committed' THEN x.n ELSE 0 END) AS committed_n,
                     sum(CASE WHEN x.status = 'committed' AND x.visibility = 'public' THEN x.amount ELSE 0 END) AS committed_public_eur, sum(CASE WHEN x.status = 'committed' AND x.visibility = 'public' THEN x.n ELSE 0 END) AS committed_public_n,
                     sum(CASE WHEN x.status = 'allocated' THEN x.amount ELSE 0 END) AS allocated_eur, sum(CASE WHEN x.status = 'allocated' THEN x.n ELSE 0 END) AS allocated_n,
                     sum(CASE WHEN x.status = 'allocated' AND x.visibility = 'public' THEN x.amount ELSE 0 END) AS allocated_public_eur, sum(CASE WHEN x.status = 'allocated' AND x.visibility = 'public' THEN x.n ELSE 0 END) AS allocated_public_n,
                     sum(CASE WHEN x.status = 'delivered' THEN x.amount ELSE 0 END) AS delivered_eur, sum(CASE WHEN x.status = 'delivered' THEN x.n ELSE 0 END) AS delivered_n,
                     sum(CASE WHEN x.status = 'delivered' AND x.visibility = 'public' THEN x.amount ELSE 0 END) AS delivered_public_eur, sum(CASE WHEN x.status = 'delivered' AND x.visibility = 'public' THEN x.n ELSE 0 END) AS delivered_public_n,
                     sum(CASE WHEN x.status = 'cancelled' THEN x.amount ELSE 0 END) AS cancelled_eur, sum(CASE WHEN x.status = 'cancelled' THEN x.n ELSE 0 END) AS cancelled_n,
                     sum(CASE WHEN x.status = 'cancelled' AND x.visibility = 'public' THEN x.amount ELSE 0 END) AS cancelled_public_eur, sum(CASE WHEN x.status = 'cancelled' AND x.visibility = 'public' THEN x.n ELSE 0 END) AS cancelled_public_n
              FROM (SELECT month, donor, support_type, status, visibility, sum(amount) AS amount, sum(n) AS n
              FROM (SELECT month, donor, support_type, status, visibility, amount_eur_minor AS amount, pledges AS n FROM new_rows
                    UNION ALL
                    SELECT month, donor, support_type, status, visibility, -amount_eur_minor, -pledges FROM old_rows) x
              WHERE status IN ('announced', 'committed', 'allocated', 'delivered', 'cancelled')
              GROUP BY 1, 2, 3, 4, 5 HAVING sum(amount) <> 0 OR sum(n) <> 0) x
              GROUP BY 1, 2, 3) d
        WHERE m.month = d.month AND m.donor = d.donor AND m.support_type = d.support_type;
    ELSE
        UPDATE pledge_monthly m SET
            announced_eur = m.announced_eur + d.announced_eur, announced_n = m.announced_n + d.announced_n,
            announced_public_eur = m.announced_public_eur + d.announced_public_eur, announced_public_n = m.announced_public_n + d.announced_public_n,
            committed_eur = m.committed_eur + d.committed_eur, committed_n = m.committed_n + d.committed_n,
            committed_public_eur = m.committed_public_eur + d.committed_public_eur, committed_public_n = m.committed_public_n + d.committed_public_n,
            allocated_eur = m.allocated_eur + d.allocated_eur, allocated_n = m.allocated_n + d.allocated_n,
            allocated_public_eur = m.allocated_public_eur + d.allocated_public_eur, allocated_public_n = m.allocated_public_n + d.allocated_public_n,
            delivered_eur = m.delivered_eur + d.delivered_eur, delivered_n = m.delivered_n + d.delivered_n,
            delivered_public_eur = m.delivered_public_eur + d.delivered_public_eur, delivered_public_n = m.delivered_public_n + d.delivered_public_n,
            cancelled_eur = m.cancelled_eur + d.cancelled_eur, cancelled_n = m.cancelled_n + d.cancelled_n,
            cancelled_public_eur = m.cancelled_public_eur + d.cancelled_public_eur, cancelled_public_n = m.cancelled_public_n + d.cancelled_public_n
        FROM (SELECT x.month, x.donor, x.support_type,
                     sum(CASE WHEN x.status = 'announced' THEN x.amount ELSE 0 END) AS announced_eur, sum(CASE WHEN x.status = 'announced' THEN x.n ELSE 0 END) AS announced_n,
                     sum(CASE WHEN x.status = 'announced' AND x.visibility = 'public' THEN x.amount ELSE 0 END) AS announced_public_eur, sum(CASE WHEN x.status = 'announced' AND x.visibility = 'public' THEN x.n ELSE 0 END) AS announced_public_n,
                     sum(CASE WHEN x.status = 'committed' THEN x.amount ELSE 0 END) AS committed_eur, sum(CASE WHEN x.status = 'committed' THEN x.n ELSE 0 END) AS committed_n,
                     sum(CASE WHEN x.status = 'committed' AND x.visibility = 'public' THEN x.amount ELSE 0 END) AS committed_public_eur, sum(CASE WHEN x.status = 'committed' AND x.visibility = 'public' THEN x.n ELSE 0 END) AS committed_public_n,
                     sum(CASE WHEN x.status = 'allocated' THEN x.amount ELSE 0 END) AS allocated_eur, sum(CASE WHEN x.status = 'allocated' THEN x.n ELSE 0 END) AS allocated_n,
                     sum(CASE WHEN x.status = 'allocated' AND x.visibility = 'public' THEN x.amount ELSE 0 END) AS allocated_public_eur, sum(CASE WHEN x.status = 'allocated' AND x.visibility = 'public' THEN x.n ELSE 0 END) AS allocated_public_n,
                     sum(CASE WHEN x.status = 'delivered' THEN x.amount ELSE 0 END) AS delivered_eur, sum(CASE WHEN x.status = 'delivered' THEN x.n ELSE 0 END) AS delivered_n,
                     sum(CASE WHEN x.status = 'delivered' AND x.visibility = 'public' THEN x.amount ELSE 0 END) AS delivered_public_eur, sum(CASE WHEN x.status = 'delivered' AND x.visibility = 'public' THEN x.n ELSE 0 END) AS delivered_public_n,
                     sum(CASE WHEN x.status = 'cancelled' THEN x.amount ELSE 0 END) AS cancelled_eur, sum(CASE WHEN x.status = 'cancelled' THEN x.n ELSE 0 END) AS cancelled_n,
                     sum(CASE WHEN x.status = 'cancelled' AND x.visibility = 'public' THEN x.amount ELSE 0 END) AS cancelled_public_eur, sum(CASE WHEN x.status = 'cancelled' AND x.visibility = 'public' THEN x.n ELSE 0 END) AS cancelled_public_n
              FROM (SELECT month, donor, support_type, status, visibility, -amount_eur_minor AS amount, -pledges AS n FROM old_rows WHERE status IN ('announced', 'committed', 'allocated', 'delivered', 'cancelled')) x
              GROUP BY 1, 2, 3) d
        WHERE m.month = d.month AND m.donor = d.donor AND m.support_type = d.support_type;
    END IF;
    DELETE FROM pledge_monthly m WHERE m.announced_n + m.committed_n + m.allocated_n + m.delivered_n + m.cancelled_n = 0
        AND (m.month, m.donor, m.support_type) IN (SELECT month, donor, support_type FROM old_rows);
    RETURN NULL;
END $$;

CREATE TRIGGER pledge_monthly_insert AFTER INSERT ON pledge_rollup REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_monthly_sync();
CREATE TRIGGER pledge_monthly_update AFTER UPDATE ON pledge_rollup REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_monthly_sync();
CREATE TRIGGER pledge_monthly_delete AFTER DELETE ON pledge_rollup REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_monthly_sync();
