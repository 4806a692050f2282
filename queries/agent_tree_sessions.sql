-- name: agent_tree_sessions
-- Every session of every tree whose root (parent_session_id IS NULL) started
-- in [from, to), found by following parent links down from the roots,
-- whenever the descendants started. One tree's sessions come together,
-- trees ordered as agent_trees is (tree cost descending, root id), so the
-- aggregation holds one tree at a time. Depths are not computed here: the
-- aggregation counts them from the links.
-- The work follows the window, not the table: the window's sessions by the
-- start_time index (roots filtered among them), then one index probe per
-- parent, each session's columns carried along, so no step reads the table
-- whole however long its history.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: user_id uuid?  only trees whose root belongs to this user; all when empty
WITH RECURSIVE tree (root_id, id, parent_id, stored_depth, total_cost, tokens_used, execution_status, session_id, user_id) AS (
    SELECT w.id, w.id, w.parent_session_id, w.session_depth::int8, w.total_cost::numeric, w.tokens_used::int8,
           w.execution_status::text, w.session_id::text, w.user_id
    -- OFFSET 0: read the window through the start_time index, and only then
    -- keep its roots; an index on parent_session_id would visit every root of
    -- all time to intersect them.
    FROM (SELECT * FROM agent_sessions WHERE start_time >= :from AND start_time < :to OFFSET 0) AS w
    WHERE w.parent_session_id IS NULL
      AND (:user_id IS NULL OR w.user_id = :user_id)
    UNION ALL
    -- One index probe per parent found (OFFSET 0 keeps the subquery from
    -- being flattened into a join): the planner, guessing ten times as many
    -- rows per step, would otherwise hash all sessions at every level.
    SELECT tree.root_id, child.id, child.parent_session_id, child.session_depth::int8, child.total_cost::numeric,
           child.tokens_used::int8, child.execution_status::text, child.session_id::text, child.user_id
    FROM tree
    CROSS JOIN LATERAL (
        SELECT s.id, s.parent_session_id, s.session_depth, s.total_cost, s.tokens_used, s.execution_status, s.session_id, s.user_id
        FROM agent_sessions s WHERE s.parent_session_id = tree.id OFFSET 0
    ) AS child
)
SELECT root_id, id, parent_id, stored_depth, total_cost, tokens_used, execution_status, session_id, user_id
FROM tree
ORDER BY sum(total_cost) OVER (PARTITION BY root_id) DESC, root_id
