-- name: reconciliation_sessions
-- Sessions whose end_time is in [from, to), with their usage transactions
-- of all time: how many and their sum, and the account of the session's user.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
WITH ended AS (
    SELECT id, user_id, total_cost
    FROM agent_sessions
    WHERE end_time >= :from AND end_time < :to
),
usage AS (
    SELECT t.session_id, count(*) AS transactions, sum(t.amount) AS total
    FROM credit_transactions t
    JOIN ended ON ended.id = t.session_id
    WHERE t.transaction_type = 'usage'
    GROUP BY t.session_id
)
SELECT ended.id                          AS session_id,
       ended.user_id                     AS user_id,
       a.id                              AS account_id,
       ended.total_cost::numeric         AS total_cost,
       coalesce(usage.transactions, 0)::int8 AS usage_transactions,
       coalesce(usage.total, 0)::numeric AS usage_total
FROM ended
LEFT JOIN usage ON usage.session_id = ended.id
LEFT JOIN credit_accounts a ON a.user_id = ended.user_id
ORDER BY ended.id
