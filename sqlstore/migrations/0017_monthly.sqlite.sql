-- Monthly (issue 22), SQLite. pledge_monthly is pledge_rollup without the
-- visibility and the coalition, keyed in the order /api/v1/donors/monthly
-- reads it (month, donor, support type, status): per group the exact sum
-- of amount_eur_minor and the number of pledges, of every pledge and of the
-- public ones only. MonthlySupport reads it for the readers whose view
-- does not depend on a pledge's coalition or donor (an administrator sees
-- every pledge, an anonymous reader the public ones): a few tens of
-- thousands of rows in the answer's order where the rollup has over a
-- hundred thousand (1M pledges). It is derived from pledge_rollup by the
-- triggers below, as pledge_totals is (0007), so every path that keeps the
-- rollup keeps it in the same transaction. Rollup rows never change their
-- key columns. 0017_monthly.postgres.sql is the same for PostgreSQL.

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
) WITHOUT ROWID;

INSERT INTO pledge_monthly (month, donor, support_type, status, amount_eur_minor, pledges, public_eur_minor, public_pledges)
SELECT month, donor, support_type, status, sum(amount_eur_minor), sum(pledges),
       sum(CASE WHEN visibility = 'public' THEN amount_eur_minor ELSE 0 END), sum(CASE WHEN visibility = 'public' THEN pledges ELSE 0 END)
FROM pledge_rollup GROUP BY month, donor, support_type, status;

CREATE TRIGGER pledge_monthly_insert AFTER INSERT ON pledge_rollup BEGIN
    INSERT INTO pledge_monthly (month, donor, support_type, status, amount_eur_minor, pledges, public_eur_minor, public_pledges)
    VALUES (NEW.month, NEW.donor, NEW.support_type, NEW.status, NEW.amount_eur_minor, NEW.pledges,
            CASE WHEN NEW.visibility = 'public' THEN NEW.amount_eur_minor ELSE 0 END,
            CASE WHEN NEW.visibility = 'public' THEN NEW.pledges ELSE 0 END)
    ON CONFLICT (month, donor, support_type, status) DO UPDATE SET
        amount_eur_minor = amount_eur_minor + excluded.amount_eur_minor,
        pledges = pledges + excluded.pledges,
        public_eur_minor = public_eur_minor + excluded.public_eur_minor,
        public_pledges = public_pledges + excluded.public_pledges;
END;

CREATE TRIGGER pledge_monthly_update AFTER UPDATE OF amount_eur_minor, pledges ON pledge_rollup BEGIN
    UPDATE pledge_monthly SET
        amount_eur_minor = amount_eur_minor - OLD.amount_eur_minor + NEW.amount_eur_minor,
        pledges = pledges - OLD.pledges + NEW.pledges,
        public_eur_minor = public_eur_minor + CASE WHEN NEW.visibility = 'public' THEN NEW.amount_eur_minor - OLD.amount_eur_minor ELSE 0 END,
        public_pledges = public_pledges + CASE WHEN NEW.visibility = 'public' THEN NEW.pledges - OLD.pledges ELSE 0 END
    WHERE month = NEW.month AND donor = NEW.donor AND support_type = NEW.support_type AND status = NEW.status;
END;

CREATE TRIGGER pledge_monthly_delete AFTER DELETE ON pledge_rollup BEGIN
    UPDATE pledge_monthly SET
        amount_eur_minor = amount_eur_minor - OLD.amount_eur_minor,
        pledges = pledges - OLD.pledges,
        public_eur_minor = public_eur_minor - CASE WHEN OLD.visibility = 'public' THEN OLD.amount_eur_minor ELSE 0 END,
        public_pledges = public_pledges - CASE WHEN OLD.visibility = 'public' THEN OLD.pledges ELSE 0 END
    WHERE month = OLD.month AND donor = OLD.donor AND support_type = OLD.support_type AND status = OLD.status;
    DELETE FROM pledge_monthly WHERE pledges = 0 AND month = OLD.month AND donor = OLD.donor
        AND support_type = OLD.support_type AND status = OLD.status;
END;
