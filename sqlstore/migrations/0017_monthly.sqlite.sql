-- Monthly (issue 22), SQLite. pledge_monthly is pledge_rollup pivoted for
-- /api/v1/donors/monthly: one row per announcement month, donor and support
-- type (the answer's key, in its order) with, for each of the five
-- statuses, the exact sum of amount_eur_minor and the number of pledges, of
-- every pledge (STATUS_eur, STATUS_n) and of the public ones
-- (STATUS_public_eur, STATUS_public_n). MonthlySupport reads it for the
-- readers whose view does not depend on a pledge's coalition or donor (an
-- administrator sees every pledge, an anonymous reader the public ones):
-- one row per answer row, read in key order, where pledge_rollup has eight
-- (1M pledges: 14,225 rows against 111,557) to group and sort. A pledge of
-- another status (none is written; coalition.PledgeStatuses) is not in it,
-- and a filter on one reads pledge_rollup. It is derived from
-- pledge_rollup by the triggers below, as pledge_totals is (0007), so every
-- path that keeps the rollup keeps it in the same transaction. Rollup rows
-- never change their key columns. 0017_monthly.postgres.sql is the same
-- for PostgreSQL.

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
) WITHOUT ROWID;

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

CREATE TRIGGER pledge_monthly_insert AFTER INSERT ON pledge_rollup WHEN NEW.status IN ('announced', 'committed', 'allocated', 'delivered', 'cancelled') BEGIN
    INSERT INTO pledge_monthly (month, donor, support_type,
        announced_eur, announced_n, announced_public_eur, announced_public_n,
        committed_eur, committed_n, committed_public_eur, committed_public_n,
        allocated_eur, allocated_n, allocated_public_eur, allocated_public_n,
        delivered_eur, delivered_n, delivered_public_eur, delivered_public_n,
        cancelled_eur, cancelled_n, cancelled_public_eur, cancelled_public_n)
    VALUES (NEW.month, NEW.donor, NEW.support_type,
            CASE WHEN NEW.status = 'announced' THEN NEW.amount_eur_minor ELSE 0 END, CASE WHEN NEW.status = 'announced' THEN NEW.pledges ELSE 0 END,
            CASE WHEN NEW.status = 'announced' AND NEW.visibility = 'public' THEN NEW.amount_eur_minor ELSE 0 END, CASE WHEN NEW.status = 'announced' AND NEW.visibility = 'public' THEN NEW.pledges ELSE 0 END,
            CASE WHEN NEW.status = 'committed' THEN NEW.amount_eur_minor ELSE 0 END, CASE WHEN NEW.status = 'committed' THEN NEW.pledges ELSE 0 END,
            CASE WHEN NEW.status = 'committed' AND NEW.visibility = 'public' THEN NEW.amount_eur_minor ELSE 0 END, CASE WHEN NEW.status = 'committed' AND NEW.visibility = 'public' THEN NEW.pledges ELSE 0 END,
            CASE WHEN NEW.status = 'allocated' THEN NEW.amount_eur_minor ELSE 0 END, CASE WHEN NEW.status = 'allocated' THEN NEW.pledges ELSE 0 END,
            CASE WHEN NEW.status = 'allocated' AND NEW.visibility = 'public' THEN NEW.amount_eur_minor ELSE 0 END, CASE WHEN NEW.status = 'allocated' AND NEW.visibility = 'public' THEN NEW.pledges ELSE 0 END,
            CASE WHEN NEW.status = 'delivered' THEN NEW.amount_eur_minor ELSE 0 END, CASE WHEN NEW.status = 'delivered' THEN NEW.pledges ELSE 0 END,
            CASE WHEN NEW.status = 'delivered' AND NEW.visibility = 'public' THEN NEW.amount_eur_minor ELSE 0 END, CASE WHEN NEW.status = 'delivered' AND NEW.visibility = 'public' THEN NEW.pledges ELSE 0 END,
            CASE WHEN NEW.status = 'cancelled' THEN NEW.amount_eur_minor ELSE 0 END, CASE WHEN NEW.status = 'cancelled' THEN NEW.pledges ELSE 0 END,
            CASE WHEN NEW.status = 'cancelled' AND NEW.visibility = 'public' THEN NEW.amount_eur_minor ELSE 0 END, CASE WHEN NEW.status = 'cancelled' AND NEW.visibility = 'public' THEN NEW.pledges ELSE 0 END)
    ON CONFLICT (month, donor, support_type) DO UPDATE SET
        announced_eur = announced_eur + excluded.announced_eur, announced_n = announced_n + excluded.announced_n,
        announced_public_eur = announced_public_eur + excluded.announced_public_eur, announced_public_n = announced_public_n + excluded.announced_public_n,
        committed_eur = committed_eur + excluded.committed_eur, committed_n = committed_n + excluded.committed_n,
        committed_public_eur = committed_public_eur + excluded.committed_public_eur, committed_public_n = committed_public_n + excluded.committed_public_n,
        allocated_eur = allocated_eur + excluded.allocated_eur, allocated_n = allocated_n + excluded.allocated_n,
        allocated_public_eur = allocated_public_eur + excluded.allocated_public_eur, allocated_public_n = allocated_public_n + excluded.allocated_public_n,
        delivered_eur = delivered_eur + excluded.delivered_eur, delivered_n = delivered_n + excluded.delivered_n,
        delivered_public_eur = delivered_public_eur + excluded.delivered_public_eur, delivered_public_n = delivered_public_n + excluded.delivered_public_n,
        cancelled_eur = cancelled_eur + excluded.cancelled_eur, cancelled_n = cancelled_n + excluded.cancelled_n,
        cancelled_public_eur = cancelled_public_eur + excluded.cancelled_public_eur, cancelled_public_n = cancelled_public_n + excluded.cancelled_public_n;
END;

-- Rollup rows keep their key (status and visibility included), so an update
-- adds what the row gained to its status's columns.
CREATE TRIGGER pledge_monthly_update AFTER UPDATE OF amount_eur_minor, pledges ON pledge_rollup
WHEN NEW.status IN ('announced', 'committed', 'allocated', 'delivered', 'cancelled') BEGIN
    UPDATE pledge_monthly SET
        announced_eur = announced_eur + CASE WHEN NEW.status = 'announced' THEN NEW.amount_eur_minor - OLD.amount_eur_minor ELSE 0 END,
        announced_n = announced_n + CASE WHEN NEW.status = 'announced' THEN NEW.pledges - OLD.pledges ELSE 0 END,
        announced_public_eur = announced_public_eur + CASE WHEN NEW.status = 'announced' AND NEW.visibility = 'public' THEN NEW.amount_eur_minor - OLD.amount_eur_minor ELSE 0 END,
        announced_public_n = announced_public_n + CASE WHEN NEW.status = 'announced' AND NEW.visibility = 'public' THEN NEW.pledges - OLD.pledges ELSE 0 END,
        committed_eur = committed_eur + CASE WHEN NEW.status = 'committed' THEN NEW.amount_eur_minor - OLD.amount_eur_minor ELSE 0 END,
        committed_n = committed_n + CASE WHEN NEW.status = 'committed' THEN NEW.pledges - OLD.pledges ELSE 0 END,
        committed_public_eur = committed_public_eur + CASE WHEN NEW.status = 'committed' AND NEW.visibility = 'public' THEN NEW.amount_eur_minor - OLD.amount_eur_minor ELSE 0 END,
        committed_public_n = committed_public_n + CASE WHEN NEW.status = 'committed' AND NEW.visibility = 'public' THEN NEW.pledges - OLD.pledges ELSE 0 END,
        allocated_eur = allocated_eur + CASE WHEN NEW.status = 'allocated' THEN NEW.amount_eur_minor - OLD.amount_eur_minor ELSE 0 END,
        allocated_n = allocated_n + CASE WHEN NEW.status = 'allocated' THEN NEW.pledges - OLD.pledges ELSE 0 END,
        allocated_public_eur = allocated_public_eur + CASE WHEN NEW.status = 'allocated' AND NEW.visibility = 'public' THEN NEW.amount_eur_minor - OLD.amount_eur_minor ELSE 0 END,
        allocated_public_n = allocated_public_n + CASE WHEN NEW.status = 'allocated' AND NEW.visibility = 'public' THEN NEW.pledges - OLD.pledges ELSE 0 END,
        delivered_eur = delivered_eur + CASE WHEN NEW.status = 'delivered' THEN NEW.amount_eur_minor - OLD.amount_eur_minor ELSE 0 END,
        delivered_n = delivered_n + CASE WHEN NEW.status = 'delivered' THEN NEW.pledges - OLD.pledges ELSE 0 END,
        delivered_public_eur = delivered_public_eur + CASE WHEN NEW.status = 'delivered' AND NEW.visibility = 'public' THEN NEW.amount_eur_minor - OLD.amount_eur_minor ELSE 0 END,
        delivered_public_n = delivered_public_n + CASE WHEN NEW.status = 'delivered' AND NEW.visibility = 'public' THEN NEW.pledges - OLD.pledges ELSE 0 END,
        cancelled_eur = cancelled_eur + CASE WHEN NEW.status = 'cancelled' THEN NEW.amount_eur_minor - OLD.amount_eur_minor ELSE 0 END,
        cancelled_n = cancelled_n + CASE WHEN NEW.status = 'cancelled' THEN NEW.pledges - OLD.pledges ELSE 0 END,
        cancelled_public_eur = cancelled_public_eur + CASE WHEN NEW.status = 'cancelled' AND NEW.visibility = 'public' THEN NEW.amount_eur_minor - OLD.amount_eur_minor ELSE 0 END,
        cancelled_public_n = cancelled_public_n + CASE WHEN NEW.status = 'cancelled' AND NEW.visibility = 'public' THEN NEW.pledges - OLD.pledges ELSE 0 END
    WHERE month = NEW.month AND donor = NEW.donor AND support_type = NEW.support_type;
END;

CREATE TRIGGER pledge_monthly_delete AFTER DELETE ON pledge_rollup WHEN OLD.status IN ('announced', 'committed', 'allocated', 'delivered', 'cancelled') BEGIN
    UPDATE pledge_monthly SET
        announced_eur = announced_eur - CASE WHEN OLD.status = 'announced' THEN OLD.amount_eur_minor ELSE 0 END,
        announced_n = announced_n - CASE WHEN OLD.status = 'announced' THEN OLD.pledges ELSE 0 END,
        announced_public_eur = announced_public_eur - CASE WHEN OLD.status = 'announced' AND OLD.visibility = 'public' THEN OLD.amount_eur_minor ELSE 0 END,
        announced_public_n = announced_public_n - CASE WHEN OLD.status = 'announced' AND OLD.visibility = 'public' THEN OLD.pledges ELSE 0 END,
        committed_eur = committed_eur - CASE WHEN OLD.status = 'committed' THEN OLD.amount_eur_minor ELSE 0 END,
        committed_n = committed_n - CASE WHEN OLD.status = 'committed' THEN OLD.pledges ELSE 0 END,
        committed_public_eur = committed_public_eur - CASE WHEN OLD.status = 'committed' AND OLD.visibility = 'public' THEN OLD.amount_eur_minor ELSE 0 END,
        committed_public_n = committed_public_n - CASE WHEN OLD.status = 'committed' AND OLD.visibility = 'public' THEN OLD.pledges ELSE 0 END,
        allocated_eur = allocated_eur - CASE WHEN OLD.status = 'allocated' THEN OLD.amount_eur_minor ELSE 0 END,
        allocated_n = allocated_n - CASE WHEN OLD.status = 'allocated' THEN OLD.pledges ELSE 0 END,
        allocated_public_eur = allocated_public_eur - CASE WHEN OLD.status = 'allocated' AND OLD.visibility = 'public' THEN OLD.amount_eur_minor ELSE 0 END,
        allocated_public_n = allocated_public_n - CASE WHEN OLD.status = 'allocated' AND OLD.visibility = 'public' THEN OLD.pledges ELSE 0 END,
        delivered_eur = delivered_eur - CASE WHEN OLD.status = 'delivered' THEN OLD.amount_eur_minor ELSE 0 END,
        delivered_n = delivered_n - CASE WHEN OLD.status = 'delivered' THEN OLD.pledges ELSE 0 END,
        delivered_public_eur = delivered_public_eur - CASE WHEN OLD.status = 'delivered' AND OLD.visibility = 'public' THEN OLD.amount_eur_minor ELSE 0 END,
        delivered_public_n = delivered_public_n - CASE WHEN OLD.status = 'delivered' AND OLD.visibility = 'public' THEN OLD.pledges ELSE 0 END,
        cancelled_eur = cancelled_eur - CASE WHEN OLD.status = 'cancelled' THEN OLD.amount_eur_minor ELSE 0 END,
        cancelled_n = cancelled_n - CASE WHEN OLD.status = 'cancelled' THEN OLD.pledges ELSE 0 END,
        cancelled_public_eur = cancelled_public_eur - CASE WHEN OLD.status = 'cancelled' AND OLD.visibility = 'public' THEN OLD.amount_eur_minor ELSE 0 END,
        cancelled_public_n = cancelled_public_n - CASE WHEN OLD.status = 'cancelled' AND OLD.visibility = 'public' THEN OLD.pledges ELSE 0 END
    WHERE month = OLD.month AND donor = OLD.donor AND support_type = OLD.support_type;
    DELETE FROM pledge_monthly WHERE announced_n + committed_n + allocated_n + delivered_n + cancelled_n = 0
        AND month = OLD.month AND donor = OLD.donor AND support_type = OLD.support_type;
END;
