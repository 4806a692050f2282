-- name: git_operations_by_type
-- Git operations whose operation_timestamp is in [from, to), per
-- operation_type: how many, how many succeeded or failed, lines added and
-- deleted (NULL counts 0), distinct sessions. Ordered by type (byte order).
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only this user's operations; everyone's when empty
SELECT operation_type::text                          AS operation_type,
       count(*)::int8                                AS operations,
       count(*) FILTER (WHERE success)::int8         AS successes,
       count(*) FILTER (WHERE NOT success)::int8     AS failures,
       coalesce(sum(lines_added), 0)::int8           AS lines_added,
       coalesce(sum(lines_deleted), 0)::int8         AS lines_deleted,
       count(DISTINCT session_id)::int8              AS sessions
FROM git_operations
WHERE operation_timestamp >= :from
  AND operation_timestamp < :to
  AND (:user_id IS NULL OR user_id = :user_id)
GROUP BY operation_type
ORDER BY operation_type COLLATE "C"
