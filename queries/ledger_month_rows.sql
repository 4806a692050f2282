-- name: ledger_month_rows
-- The ledger rows of a month finance closes (keen-reports close) or a night
-- verifies, in the close's canonical order (created_at, then id), each as
-- the line its digest covers: id, type, amount, balance_after, user,
-- account, payment intent, session and created_at (UTC, to the
-- microsecond), joined by '|', empty for NULL. reconciliation_status is
-- not covered: marking is workflow, not money. Found through the
-- created_at index: the month's rows, not the history before it.
-- param: from timestamptz  start of the month (inclusive)
-- param: to timestamptz  end of the month (exclusive)
SELECT t.id                     AS transaction_id,
       t.amount::numeric        AS amount,
       concat_ws('|', t.id::text, t.transaction_type::text, t.amount::text, t.balance_after::text, t.user_id::text,
                 t.account_id::text, coalesce(t.stripe_payment_intent_id::text, ''), coalesce(t.session_id::text, ''),
                 to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) AS line
FROM credit_transactions t
WHERE t.created_at >= :from AND t.created_at < :to
ORDER BY t.created_at, t.id
