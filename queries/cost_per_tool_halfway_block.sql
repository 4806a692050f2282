-- name: cost_per_tool_halfway_block
-- The block of tool_executions below which about half of the executions in
-- [from, to) lie, from a sample of the table's blocks: where cost_per_tool
-- cuts its scan in two (any block is exact; this one balances the halves).
-- NULL when the sample holds no execution in the window.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's executions; everyone's when empty
-- param: sample_percent numeric  the share of the table's blocks read, in percent
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY (ctid::text::point)[0])::int8 AS block
FROM tool_executions TABLESAMPLE SYSTEM (:sample_percent) REPEATABLE (0)
WHERE execution_timestamp >= :from
  AND execution_timestamp < :to
  AND (:user_id IS NULL OR user_id = :user_id)
