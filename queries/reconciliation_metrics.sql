-- name: reconciliation_metrics
-- The platform's money counters against the ledger. "Today" is the day in
-- :metrics_tz; each day's last sample (largest metric_timestamp, then
-- largest id) is checked when it lies in [from, to): the last sample of a
-- day inside the window, unless a later sample of that day exists after the
-- window's end. For each, the ledger's purchases and usage from the start
-- of its day up to and including its instant, through the created_at index.
-- Samples are found through the metric_timestamp index: the window's only.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: metrics_tz text  the zone the platform counts its days in
WITH last_in_window AS (
    SELECT DISTINCT ON ((metric_timestamp AT TIME ZONE :metrics_tz)::date)
           id, metric_timestamp, credits_purchased_today, credits_consumed_today,
           (metric_timestamp AT TIME ZONE :metrics_tz)::date AS day
    FROM system_metrics
    WHERE metric_timestamp >= :from AND metric_timestamp < :to
    ORDER BY (metric_timestamp AT TIME ZONE :metrics_tz)::date, metric_timestamp DESC, id DESC
), checked AS (
    SELECT l.*, l.day::timestamp AT TIME ZONE :metrics_tz AS day_start
    FROM last_in_window l
    WHERE NOT EXISTS (SELECT 1 FROM system_metrics later
                      WHERE later.metric_timestamp >= :to
                        AND later.metric_timestamp < (l.day + 1)::timestamp AT TIME ZONE :metrics_tz)
)
SELECT c.metric_timestamp                               AS metric_timestamp,
       c.credits_purchased_today::numeric               AS credits_purchased_today,
       c.credits_consumed_today::numeric                AS credits_consumed_today,
       coalesce(ledger.purchased, 0)::numeric           AS ledger_purchased,
       coalesce(-ledger.used, 0)::numeric               AS ledger_consumed
FROM checked c
CROSS JOIN LATERAL (
    SELECT sum(t.amount) FILTER (WHERE t.transaction_type = 'purchase') AS purchased,
           sum(t.amount) FILTER (WHERE t.transaction_type = 'usage')    AS used
    FROM credit_transactions t
    WHERE t.created_at >= c.day_start AND t.created_at <= c.metric_timestamp
) ledger
ORDER BY c.metric_timestamp, c.id
