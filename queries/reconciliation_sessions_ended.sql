-- name: reconciliation_sessions_ended
-- reconciliation_sessions for a night: the same rows, but only the ended
-- sessions' usage is summed, one probe of the transactions' session_id index
-- per session that ended in the day, so the night does not hash the whole
-- ledger's usage. (For a long window the hash is faster, and reconcile
-- keeps it. end_time has no index in the schema, so finding the ended
-- sessions still reads agent_sessions.)
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
WITH ended AS (
    SELECT id, user_id, total_cost
    FROM agent_sessions
    WHERE end_time >= :from AND end_time < :to
), usage AS (
    SELECT t.session_id, count(*) AS transactions, sum(t.amount) AS total
    FROM credit_transactions t
    -- One array, so each index of the ledger (each month's, when it is
    -- partitioned) is searched once for all the day's sessions rather than
    -- once per session: half the time on plain tables (BENCHMARKS.md).
    WHERE t.transaction_type = 'usage' AND t.session_id = ANY (ARRAY(SELECT id FROM ended))
    GROUP BY t.session_id
)
SELECT s.id                              AS session_id,
       s.user_id                         AS user_id,
       a.id                              AS account_id,
       s.total_cost::numeric             AS total_cost,
       coalesce(usage.transactions, 0)::int8 AS usage_transactions,
       coalesce(usage.total, 0)::numeric AS usage_total
FROM ended s
LEFT JOIN usage ON usage.session_id = s.id
LEFT JOIN credit_accounts a ON a.user_id = s.user_id
