-- Deterministic, scalable data for keen's schema.
--
--   psql -v scale=1 -v seed=42 [-v days=41] [-v users=N] [-v topup_days=N] -f scripts/sql/generate-data.sql
--
-- days: how many days of history end on 2026-11-29 (41 by default); the
-- sessions of a scale are spread over them, so for the same volume per day
-- give a scale in proportion to the days. users: how many users (40 per
-- unit of scale by default). topup_days: each user buys credits every that
-- many days on average (by default 1 to 8 purchases per user in all).
-- Everything is computed server side with generate_series, and every random
-- choice is a hash of (seed, purpose, row number), so the same scale and seed
-- give byte-identical data whatever the plan or parallelism. Scale 1 is about
-- 40 users, 2,500 sessions, 11,000 tool executions; rows grow linearly.
-- The data is clean: every ledger chain adds up. Planted anomalies are a
-- separate step (scripts/sql/plant-anomalies.sql) so tests can have both.
-- Awkward values on purpose: NULLs wherever the schema allows them, text with
-- commas, quotes, a leading '=', '+', '-', '@', non-ASCII; timestamps exactly
-- on UTC and New York midnights and on whole hours; durations near 2^31 ms;
-- stored session_depth wrong for about 2% of sessions.

\set ON_ERROR_STOP on
CREATE SCHEMA IF NOT EXISTS keen_gen;

-- A uniform number in [0, 1) for (seed, purpose k, row i).
CREATE OR REPLACE FUNCTION keen_gen.r(seed int, k int, i bigint) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (hashint8extended(i, seed::bigint * 1000 + k) & 281474976710655)::float8 / 281474976710656.0
$$;

-- Picks one element of a non-empty array.
CREATE OR REPLACE FUNCTION keen_gen.pick(seed int, k int, i bigint, choices text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT choices[1 + floor(keen_gen.r(seed, k, i) * array_length(choices, 1))::int]
$$;

-- A deterministic UUID for (seed, kind, key).
CREATE OR REPLACE FUNCTION keen_gen.id(seed int, kind text, key bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT md5(seed::text || ':' || kind || ':' || key::text)::uuid
$$;

-- Moves some instants onto edges a report window can have: whole UTC days,
-- whole New York days (across the 2026-11-01 DST change) and whole hours.
CREATE OR REPLACE FUNCTION keen_gen.edge(seed int, k int, i bigint, ts timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN keen_gen.r(seed, k, i) < 0.04 THEN date_trunc('day', ts, 'UTC')
        WHEN keen_gen.r(seed, k, i) < 0.08 THEN date_trunc('day', ts, 'America/New_York')
        WHEN keen_gen.r(seed, k, i) < 0.16 THEN date_trunc('hour', ts, 'UTC')
        ELSE ts
    END
$$;

CREATE OR REPLACE FUNCTION keen_gen.generate(scale numeric, seed int, days int, users int, topup_days int) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    base constant timestamptz := '2026-11-30 00:00:00+00'::timestamptz - make_interval(days => days);
    span_seconds constant float8 := days * 86400;  -- through 2026-11-29
    n_users constant int := coalesce(users, greatest(2, ceil(40 * scale))::int);
    n_roots constant int := greatest(2, ceil(1000 * scale))::int;
    lvl int;
    tools constant text[] := ARRAY['read_file', 'write_file', 'run_command', 'search_code',
        'git_commit', 'spawn_agent', 'web_fetch', 'edit, multi', 'say "hi"', '=SUM(A1)',
        'überprüfen', '-rm', 'list_dir', 'run_tests'];
    awkward constant text[] := ARRAY['plain words', 'with, comma', 'with "quotes"',
        '=HYPERLINK("x")', '+1 plus', '-minus', '@mention', 'naïve café ☕', E'two\nlines',
        'semi;colon', E'tab\tinside', 'back\slash'];
BEGIN
    -- Users: some with awkward names, some without a Stripe customer.
    INSERT INTO users (id, email, username, password_hash, display_name, subscription_tier,
                       billing_customer_id, email_verified, timezone, created_at, updated_at)
    SELECT keen_gen.id(seed, 'user', u),
           'user' || u || '@example.com',
           CASE u % 7
               WHEN 1 THEN '=user' || u
               WHEN 2 THEN 'Zoë ' || u
               WHEN 3 THEN 'o''brien, ' || u
               WHEN 4 THEN '@user' || u
               ELSE 'user' || lpad(u::text, 6, '0')
           END,
           '$2b$12$' || md5(u::text),
           CASE WHEN u % 5 = 0 THEN NULL ELSE keen_gen.pick(seed, 1, u, awkward) END,
           keen_gen.pick(seed, 2, u, ARRAY['individual', 'team', 'enterprise']),
           CASE WHEN u % 11 = 0 THEN NULL ELSE 'cus_' || substr(md5('cus' || seed || u), 1, 14) END,
           keen_gen.r(seed, 3, u) < 0.8,
           keen_gen.pick(seed, 4, u, ARRAY['UTC', 'Europe/Berlin', 'America/New_York']),
           base - interval '90 days', base - interval '90 days'
    FROM generate_series(1, n_users) AS u;

    INSERT INTO credit_accounts (id, user_id, created_at, updated_at)
    SELECT keen_gen.id(seed, 'account', u), keen_gen.id(seed, 'user', u),
           base - interval '90 days', base - interval '90 days'
    FROM generate_series(1, n_users) AS u;

    -- Session trees, built level by level. n numbers a session within its
    -- level; h = n * 8 + level is its unique hash key.
    CREATE TEMP TABLE gen_sessions (
        n bigint, level int, h bigint, parent_h bigint, user_n int,
        start_time timestamptz, status text
    ) ON COMMIT DROP;

    INSERT INTO gen_sessions
    SELECT n, 0, n * 8, NULL,
           1 + floor(keen_gen.r(seed, 10, n * 8) * n_users)::int,
           keen_gen.edge(seed, 11, n * 8,
               base + make_interval(secs => keen_gen.r(seed, 12, n * 8) * span_seconds)),
           NULL
    FROM generate_series(1, n_roots) AS n;

    FOR lvl IN 1..6 LOOP
        INSERT INTO gen_sessions
        SELECT p.n * 5 + c, lvl, (p.n * 5 + c) * 8 + lvl, p.h, p.user_n,
               -- children usually start after their parent, sometimes days later
               p.start_time + make_interval(secs => keen_gen.r(seed, 13, (p.n * 5 + c) * 8 + lvl)
                   * CASE WHEN keen_gen.r(seed, 14, (p.n * 5 + c) * 8 + lvl) < 0.1 THEN 259200 ELSE 7200 END),
               NULL
        FROM gen_sessions p
        CROSS JOIN LATERAL generate_series(0,
            CASE WHEN keen_gen.r(seed, 15, p.h) < 0.55 - lvl * 0.07
                 THEN floor(keen_gen.r(seed, 16, p.h) * 4)::int ELSE -1 END) AS c
        WHERE p.level = lvl - 1;
    END LOOP;

    UPDATE gen_sessions SET status = CASE
        WHEN keen_gen.r(seed, 17, h) < 0.70 THEN 'completed'
        WHEN keen_gen.r(seed, 17, h) < 0.82 THEN 'failed'
        WHEN keen_gen.r(seed, 17, h) < 0.92 THEN 'running'
        ELSE 'cancelled' END;

    INSERT INTO agent_sessions (id, user_id, session_id, parent_session_id, session_depth, git_branch,
        vision, working_directory, current_phase, start_time, end_time, last_activity_at,
        phase_started_at, iteration_count, tool_calls_count, total_cost, tokens_used,
        files_modified, files_created, execution_status, success, error_message,
        streaming_time, created_at, updated_at)
    SELECT keen_gen.id(seed, 'session', s.h),
           keen_gen.id(seed, 'user', s.user_n),
           'ses-' || s.level || '-' || s.n,
           CASE WHEN s.parent_h IS NULL THEN NULL ELSE keen_gen.id(seed, 'session', s.parent_h) END,
           -- the stored depth is wrong for about 2% of sessions
           CASE WHEN keen_gen.r(seed, 20, s.h) < 0.02 THEN s.level + 1 ELSE s.level END,
           'agent/' || s.level || '/' || s.n,
           keen_gen.pick(seed, 21, s.h, awkward),
           '/work/' || s.n,
           CASE s.status
               WHEN 'completed' THEN 'COMPLETE'
               WHEN 'running' THEN keen_gen.pick(seed, 22, s.h, ARRAY['EXPLORE', 'PLAN', 'FOUND', 'SUMMON'])
               ELSE keen_gen.pick(seed, 22, s.h, ARRAY['EXPLORE', 'PLAN', 'FOUND', 'SUMMON', 'COMPLETE'])
           END,
           s.start_time,
           CASE WHEN s.status = 'running' THEN NULL
                ELSE s.start_time + make_interval(secs => keen_gen.r(seed, 23, s.h) * 10800) END,
           s.start_time, s.start_time,
           floor(keen_gen.r(seed, 24, s.h) * 40)::int,
           floor(keen_gen.r(seed, 25, s.h) * 120)::int,
           CASE WHEN keen_gen.r(seed, 26, s.h) < 0.05 THEN 0
                WHEN keen_gen.r(seed, 26, s.h) < 0.08 THEN 0.000040  -- rounds to 0.0000 at 4 places
                ELSE round((keen_gen.r(seed, 27, s.h) ^ 3 * 12)::numeric, 6) END,
           floor(keen_gen.r(seed, 28, s.h) * 400000)::int,
           CASE WHEN keen_gen.r(seed, 29, s.h) < 0.1 THEN NULL
                ELSE (SELECT coalesce(array_agg('src/f' || f || '.swift'), '{}')
                      FROM generate_series(1, floor(keen_gen.r(seed, 30, s.h) * 5)::int) f) END,
           CASE WHEN keen_gen.r(seed, 31, s.h) < 0.1 THEN NULL
                ELSE (SELECT coalesce(array_agg('new/g' || f || '.md'), '{}')
                      FROM generate_series(1, floor(keen_gen.r(seed, 32, s.h) * 3)::int) f) END,
           s.status,
           CASE s.status WHEN 'completed' THEN true WHEN 'failed' THEN false
                WHEN 'cancelled' THEN CASE WHEN keen_gen.r(seed, 33, s.h) < 0.5 THEN false END END,
           CASE WHEN s.status = 'failed' THEN keen_gen.pick(seed, 34, s.h, awkward) END,
           CASE WHEN keen_gen.r(seed, 35, s.h) < 0.3 THEN NULL ELSE floor(keen_gen.r(seed, 36, s.h) * 900000)::int END,
           s.start_time, s.start_time
    FROM gen_sessions s;

    -- Phase transitions: one per phase a session has left, in lifecycle order.
    INSERT INTO phase_transitions (id, session_id, user_id, from_phase, to_phase,
        transition_timestamp, duration_ms, summary, confidence, created_at)
    SELECT keen_gen.id(seed, 'transition', a.h * 8 + k),
           a.id, a.user_id,
           (ARRAY['EXPLORE', 'PLAN', 'FOUND', 'SUMMON'])[k],
           (ARRAY['PLAN', 'FOUND', 'SUMMON', 'COMPLETE'])[k],
           keen_gen.edge(seed, 40, a.h * 8 + k,
               a.start_time + make_interval(secs => k * 600 + keen_gen.r(seed, 41, a.h * 8 + k) * 600)),
           CASE WHEN keen_gen.r(seed, 42, a.h * 8 + k) < 0.05 THEN NULL
                WHEN keen_gen.r(seed, 42, a.h * 8 + k) < 0.06 THEN 2147000000 + floor(keen_gen.r(seed, 43, a.h * 8 + k) * 483647)::int
                ELSE floor(keen_gen.r(seed, 43, a.h * 8 + k) ^ 2 * 1800000)::int END,
           keen_gen.pick(seed, 44, a.h * 8 + k, awkward),
           CASE WHEN keen_gen.r(seed, 45, a.h * 8 + k) < 0.2 THEN NULL
                ELSE round(keen_gen.r(seed, 46, a.h * 8 + k)::numeric, 2) END,
           a.start_time
    FROM (SELECT g.h, g.start_time, x.id, x.user_id,
                 array_position(ARRAY['EXPLORE', 'PLAN', 'FOUND', 'SUMMON', 'COMPLETE'], x.current_phase::text) - 1 AS left_phases
          FROM gen_sessions g JOIN agent_sessions x ON x.id = keen_gen.id(seed, 'session', g.h)) a
    CROSS JOIN LATERAL generate_series(1, a.left_phases) AS k;

    -- Tool executions: 0 to 8 per session.
    INSERT INTO tool_executions (id, session_id, user_id, tool_name, tool_parameters,
        execution_timestamp, execution_time_ms, success, error_message, tokens_consumed, cost, created_at)
    SELECT keen_gen.id(seed, 'tool', g.h * 16 + k),
           keen_gen.id(seed, 'session', g.h), keen_gen.id(seed, 'user', g.user_n),
           keen_gen.pick(seed, 50, g.h * 16 + k, tools),
           '{}',
           keen_gen.edge(seed, 51, g.h * 16 + k,
               g.start_time + make_interval(secs => keen_gen.r(seed, 52, g.h * 16 + k) * 10800)),
           floor(keen_gen.r(seed, 53, g.h * 16 + k) ^ 2 * 30000)::int,
           keen_gen.r(seed, 54, g.h * 16 + k) < 0.9,
           CASE WHEN keen_gen.r(seed, 54, g.h * 16 + k) >= 0.9 THEN keen_gen.pick(seed, 55, g.h * 16 + k, awkward) END,
           CASE WHEN keen_gen.r(seed, 56, g.h * 16 + k) < 0.03 THEN NULL ELSE floor(keen_gen.r(seed, 57, g.h * 16 + k) * 20000)::int END,
           CASE WHEN keen_gen.r(seed, 58, g.h * 16 + k) < 0.03 THEN NULL
                ELSE round((keen_gen.r(seed, 59, g.h * 16 + k) ^ 2 * 0.5)::numeric, 6) END,
           g.start_time
    FROM gen_sessions g
    CROSS JOIN LATERAL generate_series(1, floor(keen_gen.r(seed, 60, g.h) * 9)::int) AS k;

    -- Git operations: 0 to 3 per session.
    INSERT INTO git_operations (id, session_id, user_id, operation_type, branch_name, commit_hash,
        operation_timestamp, commit_message, lines_added, lines_deleted, success, created_at)
    SELECT keen_gen.id(seed, 'git', g.h * 4 + k),
           keen_gen.id(seed, 'session', g.h), keen_gen.id(seed, 'user', g.user_n),
           keen_gen.pick(seed, 70, g.h * 4 + k, ARRAY['commit', 'branch', 'merge', 'push', 'pull', 'clone']),
           'agent/' || g.level || '/' || g.n,
           md5('commit' || g.h || ':' || k),
           keen_gen.edge(seed, 71, g.h * 4 + k,
               g.start_time + make_interval(secs => keen_gen.r(seed, 72, g.h * 4 + k) * 10800)),
           keen_gen.pick(seed, 73, g.h * 4 + k, awkward),
           floor(keen_gen.r(seed, 74, g.h * 4 + k) * 500)::int,
           CASE WHEN keen_gen.r(seed, 75, g.h * 4 + k) < 0.05 THEN NULL ELSE floor(keen_gen.r(seed, 76, g.h * 4 + k) * 200)::int END,
           keen_gen.r(seed, 77, g.h * 4 + k) < 0.95,
           g.start_time
    FROM gen_sessions g
    CROSS JOIN LATERAL generate_series(1, floor(keen_gen.r(seed, 78, g.h) * 4)::int) AS k;

    -- The credit ledger: purchases, a usage transaction for every ended
    -- session that costs at least 0.0001, a few refunds and adjustments.
    -- balance_after chains exactly in ledger order (created_at, id).
    CREATE TEMP TABLE gen_ledger (
        id uuid, user_n int, kind text, amount numeric(12,4), session_id uuid,
        payment_intent text, description text, created_at timestamptz, status text
    ) ON COMMIT DROP;

    INSERT INTO gen_ledger
    SELECT keen_gen.id(seed, 'purchase', u * 64 + p), u, 'purchase',
           (ARRAY[10, 25, 50, 100, 250, 1250])[1 + floor(keen_gen.r(seed, 80, u * 64 + p) * 6)::int],
           NULL,
           'pi_' || substr(md5('pi' || seed || ':' || (u * 64 + p)), 1, 24),
           'Credit purchase',
           base - interval '30 days' + make_interval(secs => keen_gen.r(seed, 81, u * 64 + p) * (span_seconds + 30 * 86400)),
           NULL
    FROM generate_series(1, n_users) AS u
    -- 1 to 8 purchases per user, or with topup_days one every that many days
    -- on average (at most 63: the id's key leaves room for 64).
    CROSS JOIN LATERAL generate_series(1, CASE WHEN topup_days IS NULL THEN 1 + floor(keen_gen.r(seed, 82, u) * 8)::int
                                               ELSE least(63, greatest(1, round((days + 30) / topup_days::numeric
                                                                                * (0.5 + keen_gen.r(seed, 82, u)))::int)) END) AS p;

    INSERT INTO gen_ledger
    SELECT keen_gen.id(seed, 'usage', g.h), g.user_n, 'usage', -round(a.total_cost, 4), a.id, NULL,
           'Agent session ' || a.session_id, a.end_time, NULL
    FROM gen_sessions g JOIN agent_sessions a ON a.id = keen_gen.id(seed, 'session', g.h)
    WHERE a.end_time IS NOT NULL AND round(a.total_cost, 4) > 0;

    INSERT INTO gen_ledger
    SELECT keen_gen.id(seed, 'refund', u), u,
           CASE WHEN u % 2 = 0 THEN 'refund' ELSE 'adjustment' END,
           CASE WHEN u % 2 = 0 THEN round((keen_gen.r(seed, 83, u) * 20)::numeric, 4)
                ELSE round((keen_gen.r(seed, 83, u) * 10 - 5)::numeric, 4) END,
           NULL, NULL, 'Goodwill, "as agreed"',
           base + make_interval(secs => keen_gen.r(seed, 84, u) * span_seconds), NULL
    FROM generate_series(1, n_users) AS u
    WHERE keen_gen.r(seed, 85, u) < 0.3;

    UPDATE gen_ledger SET created_at = keen_gen.edge(seed, 86, hashtext(id::text), created_at)
    WHERE kind <> 'usage';

    INSERT INTO credit_transactions (id, user_id, account_id, transaction_type, amount, balance_after,
        session_id, stripe_payment_intent_id, description, created_at, reconciliation_status)
    SELECT l.id, keen_gen.id(seed, 'user', l.user_n), keen_gen.id(seed, 'account', l.user_n),
           l.kind, l.amount,
           sum(l.amount) OVER (PARTITION BY l.user_n ORDER BY l.created_at, l.id),
           l.session_id, l.payment_intent, l.description, l.created_at,
           CASE WHEN keen_gen.r(seed, 87, hashtext(l.id::text)) < 0.1 THEN NULL
                ELSE keen_gen.pick(seed, 88, hashtext(l.id::text), ARRAY['pending', 'reconciled', 'reconciled', 'disputed']) END
    FROM gen_ledger l;

    -- One pass over the ledger (per-account subqueries here went quadratic:
    -- the new rows have no statistics yet, so each one scanned the table).
    UPDATE credit_accounts c SET
        current_balance = a.latest,
        lifetime_purchased = a.purchased,
        lifetime_spent = a.spent
    FROM (
        SELECT account_id,
               (array_agg(balance_after ORDER BY created_at DESC, id DESC))[1] AS latest,
               coalesce(sum(amount) FILTER (WHERE transaction_type = 'purchase'), 0) AS purchased,
               coalesce(-sum(amount) FILTER (WHERE transaction_type = 'usage'), 0) AS spent
        FROM credit_transactions
        GROUP BY account_id
    ) a
    WHERE a.account_id = c.id;
END
$fn$;

\if :{?days}
\else
\set days 41
\endif
\if :{?users}
\else
\set users NULL
\endif
\if :{?topup_days}
\else
\set topup_days NULL
\endif
SELECT keen_gen.generate(:scale, :seed, :days, :users, :topup_days);
ANALYZE;

-- The payments a Stripe dashboard export would list for the ledger's
-- purchases: one paid USD payment per purchase that carries a payment
-- intent, for the owner's Stripe customer. plant-anomalies.sql edits it;
-- stripe-export.sql writes it as CSV.
CREATE OR REPLACE FUNCTION keen_gen.build_stripe_payments() RETURNS void
LANGUAGE sql AS $$
    DROP TABLE IF EXISTS keen_gen.stripe_payments;
    CREATE TABLE keen_gen.stripe_payments AS
    SELECT t.stripe_payment_intent_id::text AS id,
           'Credits for "keen", pack of ' || to_char(t.amount, 'FM999,999,990') AS description,
           t.created_at AS created,
           t.amount::numeric(12,2) AS amount,
           0::numeric(12,2) AS amount_refunded,
           'usd'::text AS currency,
           CASE WHEN hashtext(t.id::text) % 3 = 0 THEN 'succeeded' ELSE 'Paid' END AS status,
           coalesce(u.billing_customer_id, '')::text AS customer_id,
           u.email::text AS customer_email
    FROM credit_transactions t
    JOIN credit_accounts a ON a.id = t.account_id
    JOIN users u ON u.id = a.user_id
    WHERE t.transaction_type = 'purchase' AND t.stripe_payment_intent_id IS NOT NULL;
$$;
