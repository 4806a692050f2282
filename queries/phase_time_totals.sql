-- name: phase_time_totals
-- Per from_phase, over phase_transitions whose transition_timestamp is in
-- [from, to): how many transitions, distinct sessions, the sum of
-- duration_ms (NULL counts 0), how many durations are known, the largest.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's transitions; everyone's when empty
SELECT from_phase::text                     AS phase,
       count(*)::int8                       AS transitions,
       count(DISTINCT session_id)::int8     AS sessions,
       coalesce(sum(duration_ms), 0)::int8  AS total_ms,
       count(duration_ms)::int8             AS known_durations,
       max(duration_ms)::int8               AS max_ms
FROM phase_transitions
WHERE transition_timestamp >= :from
  AND transition_timestamp < :to
  AND (:user_id IS NULL OR user_id = :user_id)
GROUP BY from_phase
