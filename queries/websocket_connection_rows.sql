-- name: websocket_connection_rows
-- Every connection whose connected_at is in [from, to), as it is stored:
-- the aggregation counts, sums the durations exactly from the two binary
-- timestamps and counts them per bucket; websocket_connection_durations
-- then returns the few it needs for exact percentiles without a sort
-- (TwoPassPercentiles), on the run's one snapshot.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's connections; everyone's when empty
SELECT client_type::text  AS client_type,
       user_id            AS user_id,
       session_id         AS session_id,
       connected_at       AS connected_at,
       disconnected_at    AS disconnected_at,
       last_ping_at       AS last_ping_at
FROM websocket_connections
WHERE connected_at >= :from
  AND connected_at < :to
  AND (:user_id IS NULL OR user_id = :user_id)
