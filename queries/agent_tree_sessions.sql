-- name: agent_tree_sessions
-- Every session of every tree whose root (parent_session_id IS NULL) started
-- in [from, to), found by following parent links down from the roots,
-- whenever the descendants started. One tree's sessions come together,
-- trees ordered as agent_trees is (tree cost descending, root id), so the
-- aggregation holds one tree at a time. Depths are not computed here: the
-- aggregation counts them from the links.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only trees whose root belongs to this user; all when empty
WITH RECURSIVE tree (root_id, id) AS (
    SELECT id, id
    FROM agent_sessions
    WHERE parent_session_id IS NULL
      AND start_time >= :from
      AND start_time < :to
      AND (:user_id IS NULL OR user_id = :user_id)
    UNION ALL
    -- One index probe per parent found (OFFSET 0 keeps the subquery from
    -- being flattened into a join): the planner, guessing ten times as many
    -- rows per step, would otherwise hash all sessions at every level.
    SELECT tree.root_id, child.id
    FROM tree
    CROSS JOIN LATERAL (
        SELECT s.id FROM agent_sessions s WHERE s.parent_session_id = tree.id OFFSET 0
    ) AS child
)
SELECT tree.root_id                                              AS root_id,
       s.id                                                      AS id,
       s.parent_session_id                                       AS parent_id,
       s.session_depth::int8                                     AS stored_depth,
       s.total_cost::numeric                                     AS total_cost,
       s.tokens_used::int8                                       AS tokens_used,
       s.execution_status::text                                  AS execution_status,
       s.session_id::text                                        AS session_id,
       s.user_id                                                 AS user_id
FROM tree
JOIN agent_sessions s ON s.id = tree.id
ORDER BY sum(s.total_cost) OVER (PARTITION BY tree.root_id) DESC, tree.root_id
