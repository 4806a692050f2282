-- name: reconciliation_ledger_since
-- reconciliation_ledger for an incremental night: every credit account, with
-- only the transactions created at or after :since (the end of the day its
-- checkpoint summarises), in ledger order. The window's transactions come
-- through the created_at index, so the read follows the days since the
-- checkpoint, not the ledger's whole history.
-- param: since timestamptz  the checkpoint's end: transactions before it are in the checkpoint
SELECT a.id                            AS account_id,
       a.user_id                       AS account_user_id,
       a.current_balance::numeric      AS current_balance,
       a.lifetime_purchased::numeric   AS lifetime_purchased,
       a.lifetime_spent::numeric       AS lifetime_spent,
       t.id                            AS transaction_id,
       t.user_id                       AS transaction_user_id,
       t.transaction_type::text        AS transaction_type,
       t.amount::numeric               AS amount,
       t.balance_after::numeric        AS balance_after,
       t.session_id                    AS session_id,
       t.stripe_payment_intent_id::text AS payment_intent_id,
       t.created_at                    AS created_at,
       t.reconciliation_status::text   AS reconciliation_status
FROM credit_accounts a
LEFT JOIN credit_transactions t ON t.account_id = a.id AND t.created_at >= :since
ORDER BY a.id, t.created_at, t.id
