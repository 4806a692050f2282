-- name: reconciliation_recent_count
-- How many ledger transactions were created in the weeks before :since (the
-- checkpoint's end), read from the created_at index. An incremental night
-- compares the first count with its checkpoint's: a transaction inserted
-- behind the checkpoint (backdated) or deleted from before it, within those
-- weeks, sends the night to a full pass. The second count starts where the
-- next checkpoint's weeks start, so that checkpoint's count needs no other
-- read. Only weeks are counted, not all history, so the night's cost does
-- not grow with the years behind it; older changes wait for the next full
-- pass.
-- param: since timestamptz  the checkpoint's end
-- param: checked_from timestamptz  start of the checkpoint's counted weeks
-- param: kept_from timestamptz  start of the next checkpoint's counted weeks
SELECT count(*) FILTER (WHERE created_at >= :checked_from)::int8 AS checked,
       count(*) FILTER (WHERE created_at >= :kept_from)::int8    AS kept
FROM credit_transactions
WHERE created_at >= least(:checked_from, :kept_from) AND created_at < :since
