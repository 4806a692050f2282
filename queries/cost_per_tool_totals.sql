-- name: cost_per_tool_totals
-- Counts and exact sums per tool over the tool executions whose
-- execution_timestamp is in [from, to). NULL costs and token counts sum as 0.
-- A plain hash aggregate, no sort, of what the executions' stream does not
-- carry. Failures are executions - successes (success is NOT NULL); the
-- execution times' sum and maximum, the distinct counts and the percentiles
-- come from cost_per_tool_executions.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's executions; everyone's when empty
SELECT tool_name::text                                 AS tool_name,
       count(*)::int8                                  AS executions,
       count(*) FILTER (WHERE success)::int8           AS successes,
       coalesce(sum(cost), 0)::numeric                 AS total_cost,
       coalesce(sum(tokens_consumed), 0)::int8         AS total_tokens
FROM tool_executions
WHERE execution_timestamp >= :from
  AND execution_timestamp < :to
  AND (:user_id IS NULL OR user_id = :user_id)
GROUP BY tool_name
