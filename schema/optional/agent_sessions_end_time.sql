-- Optional index for keen-reports (see README, "What still grows with
-- history"). The nightly reconciliation checks the sessions that ended in
-- the day; without an index on end_time, finding them reads all of
-- agent_sessions, so a night's time grows with the history behind it. No
-- report depends on this index: results are the same without it.
--
-- Run it on the primary as the table's owner, outside a transaction block
-- (CONCURRENTLY lets the application keep writing while it builds):
--     psql "$PRIMARY_URL" -f schema/optional/agent_sessions_end_time.sql
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_agent_sessions_end_time ON agent_sessions (end_time);
