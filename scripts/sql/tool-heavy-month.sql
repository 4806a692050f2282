-- The shape of a month whose cost_per_tool once peaked at 60 MiB: a million
-- sessions in October 2026, ten tool executions each over 30 tools, a few
-- tools far more common than the rest, execution times up to a minute.
-- Only what cost_per_tool reads is filled. For scripts/bench, on a database
-- of its own with schema/ loaded:
--
--   psql -v seed=42 -f scripts/sql/tool-heavy-month.sql
\set ON_ERROR_STOP on
SET synchronous_commit = off;
INSERT INTO users (id, email, username, password_hash)
SELECT md5('heavy-user' || u)::uuid, 'heavy' || u || '@example.com', 'heavy' || u, 'x'
FROM generate_series(1, 5000) AS u;
INSERT INTO agent_sessions (id, user_id, session_id, git_branch, vision, working_directory, start_time)
SELECT md5('heavy-session' || s)::uuid, md5('heavy-user' || (1 + s % 5000))::uuid, 'heavy-' || s, 'main', 'v', '/w',
       '2026-10-01 00:00:00+00'::timestamptz + (s % 2678400) * interval '1 second'
FROM generate_series(1, 1000000) AS s;
-- Tool k of 30 with weight 1/k^2 (the first few take most executions).
INSERT INTO tool_executions (session_id, user_id, tool_name, execution_timestamp, execution_time_ms, success, tokens_consumed, cost)
SELECT md5('heavy-session' || s)::uuid, md5('heavy-user' || (1 + s % 5000))::uuid,
       'tool_' || lpad(least(30, floor(1 / sqrt(greatest(1e-9, r1)))::int)::text, 2, '0'),
       '2026-10-01 00:00:00+00'::timestamptz + ((s % 2678400) + e * 60) * interval '1 second',
       floor(r2 * r2 * 60000)::int, r1 > 0.05, floor(r2 * 2000)::int, round((r2 * 0.05)::numeric, 6)
FROM generate_series(1, 1000000) AS s
CROSS JOIN generate_series(1, 10) AS e
CROSS JOIN LATERAL (SELECT (hashint8extended(s * 16 + e, 1) & 281474976710655)::float8 / 281474976710656.0 AS r1,
                           (hashint8extended(s * 16 + e, 2) & 281474976710655)::float8 / 281474976710656.0 AS r2) AS r;
ANALYZE;
