-- name: cost_per_tool_durations
-- The distribution of execution_time_ms per tool in the window, as
-- (tool, value, how many): exact percentiles need every value, and the
-- distinct milliseconds values are far fewer than the executions.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's executions; everyone's when empty
SELECT tool_name::text          AS tool_name,
       execution_time_ms::int8  AS execution_ms,
       count(*)::int8           AS executions
FROM tool_executions
WHERE execution_timestamp >= :from
  AND execution_timestamp < :to
  AND (:user_id IS NULL OR user_id = :user_id)
GROUP BY tool_name, execution_time_ms
