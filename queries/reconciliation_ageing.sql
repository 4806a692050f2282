-- name: reconciliation_ageing
-- How long open items have waited, at the window's end: purchases still
-- pending (reconciliation_status pending, or NULL: never set), and every
-- transaction finance disputed, each created before the window's end, by
-- age in whole days (floor of the elapsed time over 24 hours): 0-1, 2-7,
-- 8-30, over 30. Every bucket of both is present, zeros included, youngest
-- first. A whole-day age of at most N is an elapsed time under N + 1 days,
-- so each bucket is a range of created_at. Statuses change in place
-- (reconcile --mark, people), so this reads every open row whatever its
-- age; no checkpoint can carry it.
-- param: to timestamptz  end of the window (exclusive)
WITH kinds(position, name) AS (
    VALUES (1, 'pending'), (2, 'disputed')
),
buckets(position, name) AS (
    VALUES (1, '0_1_days'), (2, '2_7_days'), (3, '8_30_days'), (4, 'over_30_days')
),
counted AS (
    SELECT CASE WHEN reconciliation_status = 'disputed' THEN 2 ELSE 1 END AS kind,
           CASE WHEN created_at > :to - interval '2 days' THEN 1
                WHEN created_at > :to - interval '8 days' THEN 2
                WHEN created_at > :to - interval '31 days' THEN 3
                ELSE 4 END AS bucket,
           count(*) AS transactions, sum(amount) AS amount
    FROM credit_transactions
    WHERE created_at < :to
      AND (reconciliation_status = 'disputed'
           OR (transaction_type = 'purchase' AND (reconciliation_status IS NULL OR reconciliation_status = 'pending')))
    GROUP BY 1, 2
)
SELECT k.name::text                              AS kind,
       b.name::text                              AS bucket,
       coalesce(c.transactions, 0)::int8         AS transactions,
       coalesce(c.amount, 0)::numeric            AS amount
FROM kinds k
CROSS JOIN buckets b
LEFT JOIN counted c ON c.kind = k.position AND c.bucket = b.position
ORDER BY k.position, b.position
