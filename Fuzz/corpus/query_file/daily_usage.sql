-- name: daily_usage
-- What daily_usage_stats holds, computed from the raw tables: one row per
-- user and day (in the report time zone) on which the user started a
-- session, ran a tool, left a phase or ran a git operation, each event in
-- [from, to) by its own timestamp. Every figure follows REPORTS.md's
-- daily_usage section; the report writes these rows as they are.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: tz text  the report time zone, where days begin
-- param: user_id uuid?  only this user's rows; everyone's when empty
WITH sessions AS (
    SELECT user_id,
           (start_time AT TIME ZONE :tz)::date                                          AS day,
           count(*)                                                                      AS sessions_started,
           count(*) FILTER (WHERE execution_status = 'completed')                        AS sessions_completed,
           count(*) FILTER (WHERE execution_status = 'failed')                           AS sessions_failed,
           -- exact: epoch differences are numeric with microseconds
           floor(coalesce(sum(extract(epoch FROM end_time) - extract(epoch FROM start_time))
                 FILTER (WHERE end_time IS NOT NULL), 0))                                AS session_seconds,
           count(*) FILTER (WHERE parent_session_id IS NOT NULL)                         AS agents_spawned,
           max(session_depth)                                                            AS max_depth,
           coalesce(sum(tokens_used), 0)                                                 AS tokens,
           coalesce(sum(total_cost), 0)                                                  AS cost,
           coalesce(sum(cardinality(files_modified)), 0)                                 AS files_modified,
           coalesce(sum(cardinality(files_created)), 0)                                  AS files_created
    FROM agent_sessions
    WHERE start_time >= :from AND start_time < :to
      AND (:user_id IS NULL OR user_id = :user_id)
    GROUP BY 1, 2
),
phases AS (
    SELECT user_id,
           (transition_timestamp AT TIME ZONE :tz)::date                                 AS day,
           floor(coalesce(sum(duration_ms) FILTER (WHERE from_phase = 'EXPLORE'), 0) / 1000.0)  AS explore,
           floor(coalesce(sum(duration_ms) FILTER (WHERE from_phase = 'PLAN'), 0) / 1000.0)     AS plan,
           floor(coalesce(sum(duration_ms) FILTER (WHERE from_phase = 'FOUND'), 0) / 1000.0)    AS found,
           floor(coalesce(sum(duration_ms) FILTER (WHERE from_phase = 'SUMMON'), 0) / 1000.0)   AS summon,
           floor(coalesce(sum(duration_ms) FILTER (WHERE from_phase = 'COMPLETE'), 0) / 1000.0) AS complete
    FROM phase_transitions
    WHERE transition_timestamp >= :from AND transition_timestamp < :to
      AND (:user_id IS NULL OR user_id = :user_id)
    GROUP BY 1, 2
),
tools AS (
    SELECT user_id,
           (execution_timestamp AT TIME ZONE :tz)::date                                  AS day,
           count(*)                                                                      AS executions,
           array_agg(DISTINCT tool_name::text COLLATE "C" ORDER BY tool_name::text COLLATE "C") AS unique_tools
    FROM tool_executions
    WHERE execution_timestamp >= :from AND execution_timestamp < :to
      AND (:user_id IS NULL OR user_id = :user_id)
    GROUP BY 1, 2
),
git AS (
    SELECT user_id,
           (operation_timestamp AT TIME ZONE :tz)::date                                  AS day,
           count(*)                                                                      AS operations
    FROM git_operations
    WHERE operation_timestamp >= :from AND operation_timestamp < :to
      AND (:user_id IS NULL OR user_id = :user_id)
    GROUP BY 1, 2
),
keys AS (
    SELECT user_id, day FROM sessions
    UNION SELECT user_id, day FROM phases
    UNION SELECT user_id, day FROM tools
    UNION SELECT user_id, day FROM git
)
SELECT k.day                                              AS date,
       k.user_id                                          AS user_id,
       u.username::text                                   AS username,
       coalesce(s.sessions_started, 0)::int8              AS sessions_started,
       coalesce(s.sessions_completed, 0)::int8            AS sessions_completed,
       coalesce(s.sessions_failed, 0)::int8               AS sessions_failed,
       coalesce(s.session_seconds, 0)::int8               AS total_session_time_seconds,
       coalesce(p.explore, 0)::int8                       AS explore_phase_time_seconds,
       coalesce(p.plan, 0)::int8                          AS plan_phase_time_seconds,
       coalesce(p.found, 0)::int8                         AS found_phase_time_seconds,
       coalesce(p.summon, 0)::int8                        AS summon_phase_time_seconds,
       coalesce(p.complete, 0)::int8                      AS complete_phase_time_seconds,
       coalesce(s.agents_spawned, 0)::int8                AS agents_spawned,
       coalesce(s.max_depth, 0)::int8                     AS max_recursion_depth,
       coalesce(t.executions, 0)::int8                    AS tool_executions,
       coalesce(t.unique_tools, '{}')::text[]             AS unique_tools_used,
       coalesce(s.tokens, 0)::int8                        AS total_tokens_consumed,
       coalesce(s.cost, 0)::numeric                       AS total_cost,
       coalesce(s.files_modified, 0)::int8                AS files_modified,
       coalesce(s.files_created, 0)::int8                 AS files_created,
       coalesce(g.operations, 0)::int8                    AS git_operations
FROM keys k
JOIN users u ON u.id = k.user_id
LEFT JOIN sessions s ON s.user_id = k.user_id AND s.day = k.day
LEFT JOIN phases p ON p.user_id = k.user_id AND p.day = k.day
LEFT JOIN tools t ON t.user_id = k.user_id AND t.day = k.day
LEFT JOIN git g ON g.user_id = k.user_id AND g.day = k.day
ORDER BY k.day, u.username COLLATE "C"
