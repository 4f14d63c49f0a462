-- Why a delivery takes its pledge's deliveries above the pledge's euro
-- amount (issue 16 §1): coalition.CheckDelivery refuses an over-delivery
-- without it. Empty for deliveries recorded before.

ALTER TABLE deliveries ADD COLUMN over_delivery TEXT NOT NULL DEFAULT '';
