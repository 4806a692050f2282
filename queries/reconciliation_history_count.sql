-- name: reconciliation_history_count
-- How many ledger transactions were created before :since, read from the
-- created_at index: an incremental night compares it with its checkpoint's
-- count, so a transaction inserted behind the checkpoint (backdated) or one
-- deleted from before it sends the night to a full pass.
-- param: since timestamptz  the checkpoint's end
SELECT count(*)::int8 AS transactions FROM credit_transactions WHERE created_at < :since
