-- name: reconciliation_recheck_sessions
-- reconciliation_sessions for the sessions named by the exceptions a night
-- checks again: the same columns, each session found by its id and its
-- usage through the transactions' session_id index.
-- param: sessions uuid[]  the sessions checked again
WITH named AS (
    SELECT id, user_id, total_cost
    FROM agent_sessions
    WHERE id = ANY (:sessions)
), usage AS (
    SELECT t.session_id, count(*) AS transactions, sum(t.amount) AS total
    FROM credit_transactions t
    WHERE t.transaction_type = 'usage' AND t.session_id = ANY (:sessions)
    GROUP BY t.session_id
)
SELECT s.id                              AS session_id,
       s.user_id                         AS user_id,
       a.id                              AS account_id,
       s.total_cost::numeric             AS total_cost,
       coalesce(usage.transactions, 0)::int8 AS usage_transactions,
       coalesce(usage.total, 0)::numeric AS usage_total
FROM named s
LEFT JOIN usage ON usage.session_id = s.id
LEFT JOIN credit_accounts a ON a.user_id = s.user_id
