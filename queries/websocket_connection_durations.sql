-- name: websocket_connection_durations
-- The second reading of the percentiles: only the closed connections whose
-- duration falls in a range the first reading found holds a percentile's
-- rank, per client type. The server filters; the engine gets a few rows.
-- The ranges are intervals of whole microseconds, and intervals compare
-- exactly, so the rows are those whose disconnected_at - connected_at the
-- engine puts in those buckets.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's connections; everyone's when empty
-- param: client_types text[]  the client type of each range
-- param: shortest interval[]  each range's shortest duration
-- param: longest interval[]  each range's longest duration
SELECT w.client_type::text AS client_type,
       w.connected_at      AS connected_at,
       w.disconnected_at   AS disconnected_at
FROM websocket_connections w
JOIN unnest(:client_types, :shortest, :longest) AS r(client_type, shortest, longest)
  ON w.client_type::text = r.client_type
 AND w.disconnected_at - w.connected_at BETWEEN r.shortest AND r.longest
WHERE w.connected_at >= :from
  AND w.connected_at < :to
  AND (:user_id IS NULL OR w.user_id = :user_id)
  AND w.disconnected_at IS NOT NULL
