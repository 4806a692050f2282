-- name: cost_per_tool_executions
-- Every tool execution in [from, to), reduced to what the report needs: the
-- tool, its execution time, success, tokens and cost, its session and user.
-- Streamed unsorted; the aggregation counts, sums, counts values and
-- collects distinct ids per tool, which costs PostgreSQL one scan instead of
-- a sort per DISTINCT and per percentile. The fields of fixed width come
-- first: the decoder finds a row's fields where the row before had them up to
-- the first whose length differs. A large window's sequential scan is
-- read in two halves of the table's blocks, one per connection
-- (blocks_to on one, blocks_from on the other, at cost_per_tool_halfway_block).
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's executions; everyone's when empty
-- param: blocks_from tid?  only the rows at or past this block
-- param: blocks_to tid?  only the rows before this block
SELECT execution_time_ms::int4  AS execution_ms,
       success                  AS success,
       tokens_consumed          AS tokens,
       session_id               AS session_id,
       user_id                  AS user_id,
       cost::numeric            AS cost,
       tool_name::text          AS tool_name
FROM tool_executions
WHERE execution_timestamp >= :from
  AND execution_timestamp < :to
  AND (:user_id IS NULL OR user_id = :user_id)
  AND (:blocks_from IS NULL OR ctid >= :blocks_from)
  AND (:blocks_to IS NULL OR ctid < :blocks_to)
