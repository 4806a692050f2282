-- name: reconciliation_pending_ageing
-- Purchases still open (reconciliation_status pending, or NULL: never set)
-- created before the window's end, by age at the window's end in whole days
-- (floor of the elapsed time over 24 hours): 0-1, 2-7, 8-30, over 30. Every
-- bucket is present, zeros included, youngest first.
-- param: to timestamptz  end of the window (exclusive)
WITH buckets(position, name, low, high) AS (
    VALUES (1, '0_1_days', 0, 1), (2, '2_7_days', 2, 7), (3, '8_30_days', 8, 30), (4, 'over_30_days', 31, NULL)
),
open_purchases AS (
    SELECT amount, floor(extract(epoch FROM (:to - created_at)) / 86400)::int8 AS age_days
    FROM credit_transactions
    WHERE transaction_type = 'purchase'
      AND created_at < :to
      AND (reconciliation_status IS NULL OR reconciliation_status = 'pending')
)
SELECT b.name::text                                  AS bucket,
       count(p.amount)::int8                          AS purchases,
       coalesce(sum(p.amount), 0)::numeric            AS amount
FROM buckets b
LEFT JOIN open_purchases p ON p.age_days >= b.low AND (b.high IS NULL OR p.age_days <= b.high)
GROUP BY b.position, b.name
ORDER BY b.position
