-- name: session_usage
-- The raw usage export: one row per session whose start_time is in
-- [from, to), in start_time then id order, streamed straight to the files.
-- With run --jobs N each connection reads one range of start_time (its own
-- :from and :to) and the engine appends the ranges in order.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's sessions; everyone's when empty
SELECT s.id,
       s.session_id::text,
       s.user_id,
       u.username::text,
       s.parent_session_id                              AS parent_id,
       s.session_depth::int8,
       s.start_time,
       s.end_time,
       s.execution_status::text,
       s.current_phase::text,
       s.iteration_count::int8,
       s.tool_calls_count::int8,
       s.tokens_used::int8,
       s.total_cost::numeric,
       coalesce(cardinality(s.files_modified), 0)::int8 AS files_modified,
       coalesce(cardinality(s.files_created), 0)::int8  AS files_created
FROM agent_sessions s
JOIN users u ON u.id = s.user_id
WHERE s.start_time >= :from
  AND s.start_time < :to
  AND (:user_id IS NULL OR s.user_id = :user_id)
ORDER BY s.start_time, s.id
