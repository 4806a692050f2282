-- name: reconciliation_recheck_ledger
-- reconciliation_ledger for the accounts named by the exceptions a night
-- checks again (docs/finance.md, the exception register): each account's
-- whole ledger, in ledger order, through the account_id index, so an
-- exception found on an earlier night is checked as that night checked it.
-- Reads what the open exceptions name, not the history behind them: the
-- ledger is read per account through a LATERAL subquery that OFFSET 0 keeps
-- from being flattened, since for a few hundred accounts the planner would
-- rather hash the whole ledger (180 ms at scale 200, growing with history,
-- against 24 ms this way).
-- param: accounts uuid[]  the accounts whose ledgers are read again
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
LEFT JOIN LATERAL (SELECT * FROM credit_transactions WHERE account_id = a.id OFFSET 0) t ON true
WHERE a.id = ANY (:accounts)
ORDER BY a.id, t.created_at, t.id
