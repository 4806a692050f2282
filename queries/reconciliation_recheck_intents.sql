-- name: reconciliation_recheck_intents
-- reconciliation_intents for the payment intents named by the exceptions a
-- night checks again: every purchase and refund carrying one of :intents,
-- in_window for those created in [from, to) (from the first night that
-- found one of them to tonight's end), in the same order. Without
-- schema/optional/credit_transactions_payment_intent.sql this reads every
-- purchase and refund, as reconciliation_intents does.
-- param: from timestamptz  start of the span checked again (inclusive)
-- param: to timestamptz  end of tonight (exclusive)
-- param: intents text[]  the payment intents checked again
SELECT t.stripe_payment_intent_id::text                AS payment_intent_id,
       t.transaction_type::text                        AS transaction_type,
       t.id                                            AS transaction_id,
       t.account_id                                    AS account_id,
       a.user_id                                       AS user_id,
       t.amount::numeric                               AS amount,
       (t.created_at >= :from AND t.created_at < :to)  AS in_window,
       u.billing_customer_id::text                     AS billing_customer_id
FROM credit_transactions t
JOIN credit_accounts a ON a.id = t.account_id
JOIN users u ON u.id = a.user_id
WHERE t.transaction_type IN ('purchase', 'refund') AND t.stripe_payment_intent_id = ANY (:intents)
ORDER BY t.stripe_payment_intent_id COLLATE "C", t.created_at, t.id
