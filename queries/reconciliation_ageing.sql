-- name: reconciliation_ageing
-- How long open items have waited, at the window's end: purchases still
-- pending (reconciliation_status pending, or NULL: never set), and every
-- transaction finance disputed, each created before the window's end, by
-- age in whole days (floor of the elapsed time over 24 hours): 0-1, 2-7,
-- 8-30, over 30. Every bucket of both is present, zeros included, youngest
-- first. Statuses change in place (reconcile --mark, people), so this reads
-- every open row whatever its age; no checkpoint can carry it.
-- param: to timestamptz  end of the window (exclusive)
WITH buckets(position, name, low, high) AS (
    VALUES (1, '0_1_days', 0, 1), (2, '2_7_days', 2, 7), (3, '8_30_days', 8, 30), (4, 'over_30_days', 31, NULL)
),
kinds(position, name) AS (
    VALUES (1, 'pending'), (2, 'disputed')
),
open_items AS (
    SELECT CASE WHEN reconciliation_status = 'disputed' THEN 'disputed' ELSE 'pending' END AS kind,
           amount, floor(extract(epoch FROM (:to - created_at)) / 86400)::int8 AS age_days
    FROM credit_transactions
    WHERE created_at < :to
      AND (reconciliation_status = 'disputed'
           OR (transaction_type = 'purchase' AND (reconciliation_status IS NULL OR reconciliation_status = 'pending')))
)
SELECT k.name::text                                   AS kind,
       b.name::text                                   AS bucket,
       count(o.amount)::int8                          AS transactions,
       coalesce(sum(o.amount), 0)::numeric            AS amount
FROM kinds k
CROSS JOIN buckets b
LEFT JOIN open_items o ON o.kind = k.name AND o.age_days >= b.low AND (b.high IS NULL OR o.age_days <= b.high)
GROUP BY k.position, k.name, b.position, b.name
ORDER BY k.position, b.position
