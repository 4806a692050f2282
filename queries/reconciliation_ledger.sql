-- name: reconciliation_ledger
-- Every credit account with its whole ledger, all time, in ledger order
-- (account, then created_at, then id): one row per transaction, or one row
-- with NULL transaction columns for an account that has none. The account's
-- columns repeat on each of its rows so the reconciliation reads the ledger
-- in one streamed pass holding one account at a time. The window is applied
-- in Swift: balances before it matter too.
-- An incremental night gives :since, the end of the day its checkpoint sums
-- up, and gets only the transactions created since, through the created_at
-- index; a full pass leaves it empty, and the planner drops the condition.
-- ledger_rollforward reads it too, for every account or, with :user_id, that
-- user's accounts.
-- param: since timestamptz?  read only transactions created at or after this (an incremental night)
-- param: user_id uuid?  only this user's accounts; every account when empty
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
LEFT JOIN credit_transactions t ON t.account_id = a.id AND (:since IS NULL OR t.created_at >= :since)
WHERE (:user_id IS NULL OR a.user_id = :user_id)
ORDER BY a.id, t.created_at, t.id
