-- name: cost_per_tool_executions
-- Every tool execution in [from, to), reduced to what exact percentiles and
-- distinct counts need: the tool, its execution time, its session and user.
-- Streamed unsorted; the aggregation counts values and collects distinct ids
-- per tool, which costs PostgreSQL one scan instead of a sort per DISTINCT
-- and per percentile.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's executions; everyone's when empty
SELECT tool_name::text          AS tool_name,
       execution_time_ms::int4  AS execution_ms,
       session_id               AS session_id,
       user_id                  AS user_id
FROM tool_executions
WHERE execution_timestamp >= :from
  AND execution_timestamp < :to
  AND (:user_id IS NULL OR user_id = :user_id)
