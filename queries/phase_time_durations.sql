-- name: phase_time_durations
-- The distribution of the known duration_ms per from_phase in the window,
-- as (phase, value, how many), for exact percentiles.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's transitions; everyone's when empty
SELECT from_phase::text      AS phase,
       duration_ms::int8     AS duration_ms,
       count(*)::int8        AS transitions
FROM phase_transitions
WHERE transition_timestamp >= :from
  AND transition_timestamp < :to
  AND duration_ms IS NOT NULL
  AND (:user_id IS NULL OR user_id = :user_id)
GROUP BY from_phase, duration_ms
