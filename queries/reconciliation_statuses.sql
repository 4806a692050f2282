-- name: reconciliation_statuses
-- The reconciliation_status of each transaction tonight's exceptions name:
-- an open exception whose transaction finance has marked reconciled since
-- closes (docs/finance.md). One probe of the primary key per transaction.
-- param: transactions uuid[]  the transactions the register names
SELECT id                            AS transaction_id,
       reconciliation_status::text   AS reconciliation_status
FROM credit_transactions
WHERE id = ANY (:transactions)
