-- name: system_health
-- The platform's own samples (system_metrics), one row per hour of
-- [from, to): consecutive hours of absolute time from :from, the last one
-- cut short by :to, hours without samples included (every column but the
-- count empty). A sample belongs to the hour holding its metric_timestamp;
-- the phase distribution is the hour's latest sample's (ties: the largest
-- id). Platform-wide: no tenant filter exists for it.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
WITH samples AS (
    SELECT *, floor(extract(epoch FROM (metric_timestamp - :from)) / 3600)::int8 AS hour
    FROM system_metrics
    WHERE metric_timestamp >= :from AND metric_timestamp < :to
), hours AS (
    SELECT hour, :from + hour * interval '1 hour' AS hour_bucket
    FROM generate_series(0::int8, ceil(extract(epoch FROM (:to - :from)) / 3600)::int8 - 1) AS hour
), figures AS (
    SELECT hour,
           count(*)                                    AS samples,
           round(avg(avg_response_time_ms), 3)         AS avg_response_time_ms,
           round(max(avg_response_time_ms), 2)         AS max_response_time_ms,
           round(avg(error_rate), 4)                   AS avg_error_rate,
           round(max(error_rate), 4)                   AS max_error_rate,
           max(active_users)                           AS peak_active_users,
           max(active_sessions)                        AS peak_active_sessions,
           max(active_websocket_connections)           AS peak_websocket_connections,
           round(avg(cpu_usage_percent), 2)            AS avg_cpu_usage_percent,
           round(avg(memory_usage_percent), 2)         AS avg_memory_usage_percent
    FROM samples GROUP BY hour
), latest AS (
    SELECT DISTINCT ON (hour) hour, sessions_in_explore, sessions_in_plan, sessions_in_found, sessions_in_summon,
           sessions_in_complete
    FROM samples ORDER BY hour, metric_timestamp DESC, id DESC
)
SELECT h.hour_bucket                                   AS hour_bucket,
       coalesce(f.samples, 0)::int8                    AS samples,
       f.avg_response_time_ms::numeric                 AS avg_response_time_ms,
       f.max_response_time_ms::numeric                 AS max_response_time_ms,
       f.avg_error_rate::numeric                       AS avg_error_rate,
       f.max_error_rate::numeric                       AS max_error_rate,
       f.peak_active_users::int8                       AS peak_active_users,
       f.peak_active_sessions::int8                    AS peak_active_sessions,
       f.peak_websocket_connections::int8              AS peak_websocket_connections,
       f.avg_cpu_usage_percent::numeric                AS avg_cpu_usage_percent,
       f.avg_memory_usage_percent::numeric             AS avg_memory_usage_percent,
       l.sessions_in_explore::int8                     AS sessions_in_explore,
       l.sessions_in_plan::int8                        AS sessions_in_plan,
       l.sessions_in_found::int8                       AS sessions_in_found,
       l.sessions_in_summon::int8                      AS sessions_in_summon,
       l.sessions_in_complete::int8                    AS sessions_in_complete
FROM hours h
LEFT JOIN figures f ON f.hour = h.hour
LEFT JOIN latest l ON l.hour = h.hour
ORDER BY h.hour
