-- name: dashboard_metrics_hours
-- Sessions whose start_time is in [from, to), counted per hour of absolute
-- time since `from` (hour 0 starts at `from`). Only hours with sessions
-- come back; the aggregation fills in the empty ones.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's sessions; everyone's when empty
SELECT floor(extract(epoch FROM start_time - :from) / 3600)::int8    AS hour_index,
       count(*)::int8                                                 AS sessions_started,
       count(*) FILTER (WHERE success)::int8                          AS sessions_completed,
       count(*) FILTER (WHERE current_phase = 'EXPLORE')::int8        AS sessions_exploring,
       count(*) FILTER (WHERE current_phase = 'PLAN')::int8           AS sessions_planning,
       count(*) FILTER (WHERE current_phase = 'FOUND')::int8          AS sessions_founding,
       count(*) FILTER (WHERE current_phase = 'SUMMON')::int8         AS sessions_summoning,
       count(*) FILTER (WHERE current_phase = 'COMPLETE')::int8       AS sessions_completed_phase,
       coalesce(sum(total_cost), 0)::numeric                          AS total_cost,
       coalesce(sum(tokens_used), 0)::int8                            AS total_tokens
FROM agent_sessions
WHERE start_time >= :from
  AND start_time < :to
  AND (:user_id IS NULL OR user_id = :user_id)
GROUP BY 1
ORDER BY 1
