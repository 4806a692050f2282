-- name: websocket_connection_totals
-- websocket_connections whose connected_at is in [from, to), per
-- client_type: counts, and the exact sum of the closed connections'
-- durations in microseconds (closed as of the snapshot, so one that closed
-- after :to counts as closed and as open at the end). Stale: open at the
-- end, and last pinged more than five minutes before :to.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's connections; everyone's when empty
SELECT client_type::text                                                         AS client_type,
       count(*)::int8                                                            AS connections,
       count(DISTINCT user_id)::int8                                             AS users,
       count(DISTINCT session_id)::int8                                          AS sessions,
       count(disconnected_at)::int8                                              AS closed,
       count(*) FILTER (WHERE disconnected_at IS NULL OR disconnected_at >= :to)::int8 AS open_at_end,
       count(*) FILTER (WHERE (disconnected_at IS NULL OR disconnected_at >= :to)
                          AND last_ping_at < :to - interval '5 minutes')::int8  AS stale,
       coalesce(sum(extract(epoch FROM (disconnected_at - connected_at)) * 1000000), 0)::numeric AS closed_microseconds
FROM websocket_connections
WHERE connected_at >= :from
  AND connected_at < :to
  AND (:user_id IS NULL OR user_id = :user_id)
GROUP BY client_type
ORDER BY client_type COLLATE "C"
