-- Risk events with a window instead of a day (issue 15 §3): the risk model
-- draws the month in earliest..latest in every trial. date_unknown (0 or 1)
-- marks a window that is only the calendar year a source gives. NULL
-- earliest and latest: the event has its date alone, as before.

ALTER TABLE risk_events ADD COLUMN earliest TEXT;
ALTER TABLE risk_events ADD COLUMN latest TEXT;
ALTER TABLE risk_events ADD COLUMN date_unknown INTEGER NOT NULL DEFAULT 0;
