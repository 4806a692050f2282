-- name: realtime_events
-- How the real-time side delivers: streaming_events whose event_timestamp
-- is in [from, to) (through its index), one row per event_type and
-- event_source. An event is delivered when delivered_to has at least one
-- element; NULL and empty arrays are not. The report writes these rows as
-- they are: SQL counts, Swift only formats.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's events; everyone's when empty
SELECT event_type::text                                                       AS event_type,
       event_source::text                                                     AS event_source,
       count(*)::int8                                                         AS events,
       count(DISTINCT session_id)::int8                                       AS sessions,
       count(DISTINCT user_id)::int8                                          AS users,
       count(*) FILTER (WHERE cardinality(delivered_to) > 0)::int8            AS delivered,
       count(*) FILTER (WHERE coalesce(cardinality(delivered_to), 0) = 0)::int8 AS undelivered,
       round(count(*) FILTER (WHERE cardinality(delivered_to) > 0)::numeric / count(*), 4) AS delivery_rate,
       coalesce(sum(cardinality(delivered_to)), 0)::int8                      AS deliveries,
       min(event_timestamp)                                                   AS first_event,
       max(event_timestamp)                                                   AS last_event
FROM streaming_events
WHERE event_timestamp >= :from
  AND event_timestamp < :to
  AND (:user_id IS NULL OR user_id = :user_id)
GROUP BY event_type, event_source
ORDER BY event_type COLLATE "C", event_source COLLATE "C"
