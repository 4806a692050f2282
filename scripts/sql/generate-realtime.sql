-- The seed's real-time side, consistent with what generate-data.sql made:
-- streaming events and WebSocket connections of the sessions, and the
-- platform's own samples (system_metrics) every ten minutes, whose money
-- counters equal the ledger's. Run after generate-data.sql:
--
--   psql -v seed=42 -f scripts/sql/generate-realtime.sql
--
-- Awkward cases on purpose: delivered_to NULL, empty and with several ids;
-- connections never closed, closed after a day's end, and last pinged
-- exactly five minutes before a UTC midnight (the staleness edge); hours
-- without samples and two samples at the same instant; event and client
-- types that sort differently under C and en-US collation ('Zeta' before
-- 'alpha' in byte order), that look like formulas or markup.
\set ON_ERROR_STOP on

CREATE TEMP TABLE rt_sessions AS
SELECT id, user_id, start_time, coalesce(end_time, start_time + interval '3 hours') AS until,
       row_number() OVER (ORDER BY id) AS n
FROM agent_sessions;

INSERT INTO streaming_events (id, session_id, user_id, event_type, event_timestamp, event_data, event_source,
                              delivered_to, created_at)
SELECT keen_gen.id(:seed, 'event', e.key), e.id, e.user_id, e.event_type, e.at, '{}', e.event_source, e.delivered_to, e.at
FROM (
    SELECT s.n * 8 + k AS key, s.id, s.user_id,
           keen_gen.pick(:seed, 200, s.n * 8 + k, ARRAY['phase_change', 'phase_change', 'tool_execution', 'tool_execution',
               'tool_execution', 'progress_update', 'progress_update', 'git_operation', 'error', '=HYPERLINK("x")',
               '<b>bold</b> & "co"', 'Zeta', 'alpha']) AS event_type,
           keen_gen.edge(:seed, 201, s.n * 8 + k,
               s.start_time + (s.until - s.start_time) * keen_gen.r(:seed, 202, s.n * 8 + k)) AS at,
           keen_gen.pick(:seed, 203, s.n * 8 + k, ARRAY['agent', 'tool', 'git', 'system']) AS event_source,
           CASE WHEN keen_gen.r(:seed, 204, s.n * 8 + k) < 0.05 THEN NULL
                WHEN keen_gen.r(:seed, 204, s.n * 8 + k) < 0.15 THEN '{}'::text[]
                WHEN keen_gen.r(:seed, 204, s.n * 8 + k) < 0.75 THEN ARRAY['conn-' || (s.n * 4)]
                ELSE ARRAY['conn-' || (s.n * 4), 'conn-' || (s.n * 4 + 1), 'conn-' || (s.n * 4 + 2)] END AS delivered_to
    FROM rt_sessions s
    CROSS JOIN LATERAL generate_series(1, floor(keen_gen.r(:seed, 205, s.n) * 6)::int) AS k
) e;

INSERT INTO websocket_connections (id, user_id, session_id, connection_id, client_ip, user_agent, client_type,
                                   connected_at, last_ping_at, disconnected_at, subscribed_events, connection_status,
                                   created_at, updated_at)
SELECT keen_gen.id(:seed, 'connection', c.key), c.user_id, c.session_id, 'conn-' || c.key, '192.0.2.1'::inet,
       'keen-client/1.0', c.client_type, c.connected_at,
       CASE WHEN c.disconnected_at IS NOT NULL THEN c.disconnected_at
            -- never closed: the last ping five minutes before the next UTC midnight (the staleness edge), or somewhen later
            WHEN keen_gen.r(:seed, 213, c.key) < 0.3 THEN greatest(c.connected_at,
                 date_trunc('day', c.connected_at, 'UTC') + interval '1 day' - interval '5 minutes')
            ELSE c.connected_at + make_interval(secs => keen_gen.r(:seed, 214, c.key) * 172800) END,
       c.disconnected_at, '{}', CASE WHEN c.disconnected_at IS NULL THEN 'active' ELSE 'closed' END,
       c.connected_at, c.connected_at
FROM (
    SELECT s.n * 4 + k AS key, s.user_id,
           CASE WHEN keen_gen.r(:seed, 210, s.n * 4 + k) < 0.1 THEN NULL ELSE s.id END AS session_id,
           keen_gen.pick(:seed, 211, s.n * 4 + k, ARRAY['dashboard', 'dashboard', 'cli', 'cli', 'mobile', 'api', 'Zeta',
               'alpha', '=cmd|x', 'émulateur']) AS client_type,
           keen_gen.edge(:seed, 212, s.n * 4 + k, s.start_time + make_interval(secs => keen_gen.r(:seed, 215, s.n * 4 + k) * 600)) AS connected_at,
           CASE WHEN keen_gen.r(:seed, 216, s.n * 4 + k) < 0.12 THEN NULL
                -- microseconds kept; one in ten runs past its day
                ELSE s.start_time + make_interval(secs => keen_gen.r(:seed, 215, s.n * 4 + k) * 600
                     + keen_gen.r(:seed, 217, s.n * 4 + k) * CASE WHEN keen_gen.r(:seed, 218, s.n * 4 + k) < 0.1 THEN 129600 ELSE 5400 END)
           END AS disconnected_at
    FROM rt_sessions s
    CROSS JOIN LATERAL generate_series(0, floor(keen_gen.r(:seed, 219, s.n) * 3)::int - 1) AS k
) c;

-- A sample every ten minutes over the sessions' span; about one hour in
-- twenty has none, and one sample in fifty has a twin at the same instant.
INSERT INTO system_metrics (id, metric_timestamp, active_users, active_sessions, active_websocket_connections,
                            sessions_in_explore, sessions_in_plan, sessions_in_found, sessions_in_summon, sessions_in_complete,
                            avg_response_time_ms, error_rate, cpu_usage_percent, memory_usage_percent, database_connections,
                            created_at)
SELECT keen_gen.id(:seed, 'sample' || twin, i), at,
       floor(keen_gen.r(:seed, 220 + twin, i) * 500)::int, floor(keen_gen.r(:seed, 221 + twin, i) * 900)::int,
       floor(keen_gen.r(:seed, 222 + twin, i) * 700)::int,
       floor(keen_gen.r(:seed, 223 + twin, i) * 200)::int, floor(keen_gen.r(:seed, 224 + twin, i) * 200)::int,
       floor(keen_gen.r(:seed, 225 + twin, i) * 200)::int, floor(keen_gen.r(:seed, 226 + twin, i) * 200)::int,
       floor(keen_gen.r(:seed, 227 + twin, i) * 200)::int,
       round((20 + keen_gen.r(:seed, 228 + twin, i) * 900)::numeric, 2), round(keen_gen.r(:seed, 229 + twin, i)::numeric * 0.2, 4),
       CASE WHEN keen_gen.r(:seed, 230 + twin, i) < 0.1 THEN NULL ELSE round((keen_gen.r(:seed, 231 + twin, i) * 100)::numeric, 2) END,
       CASE WHEN keen_gen.r(:seed, 232 + twin, i) < 0.1 THEN NULL ELSE round((keen_gen.r(:seed, 233 + twin, i) * 100)::numeric, 2) END,
       floor(keen_gen.r(:seed, 234 + twin, i) * 100)::int, at
FROM (
    SELECT i, (SELECT date_trunc('day', min(start_time), 'UTC') FROM agent_sessions) + i * interval '10 minutes' AS at
    FROM generate_series(0, (SELECT ceil(extract(epoch FROM max(start_time) - date_trunc('day', min(start_time), 'UTC')) / 600)::int
                             FROM agent_sessions)) AS i
) samples
CROSS JOIN LATERAL (VALUES (0), (1)) AS t(twin)
WHERE keen_gen.r(:seed, 235, floor(i / 6)::bigint) >= 0.05
  AND (twin = 0 OR keen_gen.r(:seed, 236, i) < 0.02);

-- The money counters: what the ledger holds from the start of the sample's
-- UTC day up to and including its instant. Run again after the ledger changes.
CREATE OR REPLACE FUNCTION keen_gen.fill_metric_money() RETURNS void LANGUAGE sql AS $$
    WITH events AS (
        SELECT created_at AS at, 0 AS is_sample, NULL::uuid AS id,
               CASE WHEN transaction_type = 'purchase' THEN amount ELSE 0 END AS purchased,
               CASE WHEN transaction_type = 'usage' THEN -amount ELSE 0 END AS consumed
        FROM credit_transactions
        UNION ALL
        SELECT metric_timestamp, 1, id, 0, 0 FROM system_metrics
    ), running AS (
        SELECT id, is_sample, sum(purchased) OVER w AS purchased, sum(consumed) OVER w AS consumed
        FROM events
        WINDOW w AS (PARTITION BY (at AT TIME ZONE 'UTC')::date ORDER BY at, is_sample ROWS UNBOUNDED PRECEDING)
    )
    UPDATE system_metrics m SET credits_purchased_today = r.purchased, credits_consumed_today = r.consumed
    FROM running r WHERE r.is_sample = 1 AND r.id = m.id;
$$;
SELECT keen_gen.fill_metric_money();
ANALYZE streaming_events, websocket_connections, system_metrics;
