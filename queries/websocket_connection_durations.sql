-- name: websocket_connection_durations
-- The closed connections' durations, in microseconds, per client_type and
-- in ascending order, each distinct duration once with its count: the
-- aggregation reads the percentile ranks as they pass, holding nothing.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's connections; everyone's when empty
SELECT client_type::text                                                      AS client_type,
       (extract(epoch FROM (disconnected_at - connected_at)) * 1000000)::int8 AS microseconds,
       count(*)::int8                                                         AS connections
FROM websocket_connections
WHERE connected_at >= :from
  AND connected_at < :to
  AND disconnected_at IS NOT NULL
  AND (:user_id IS NULL OR user_id = :user_id)
GROUP BY client_type, 2
ORDER BY client_type COLLATE "C", 2
