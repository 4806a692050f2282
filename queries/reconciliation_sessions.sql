-- name: reconciliation_sessions
-- Sessions whose end_time is in [from, to), with their usage transactions
-- of all time (how many and their sum) and the account of the session's
-- user. The usage is summed per session over the whole ledger first, a hash
-- aggregate whatever the window: joined the other way round, the planner
-- (which cannot see the window's bounds) probed the transactions' index once
-- per ended session, 5.6 s for a million sessions.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
WITH usage AS (
    SELECT session_id, count(*) AS transactions, sum(amount) AS total
    FROM credit_transactions
    WHERE transaction_type = 'usage' AND session_id IS NOT NULL
    GROUP BY session_id
)
SELECT s.id                              AS session_id,
       s.user_id                         AS user_id,
       a.id                              AS account_id,
       s.total_cost::numeric             AS total_cost,
       coalesce(usage.transactions, 0)::int8 AS usage_transactions,
       coalesce(usage.total, 0)::numeric AS usage_total
FROM agent_sessions s
LEFT JOIN usage ON usage.session_id = s.id
LEFT JOIN credit_accounts a ON a.user_id = s.user_id
WHERE s.end_time >= :from AND s.end_time < :to
