-- name: reconciliation_purchases
-- Every purchase that carries a payment intent, all time, with the account
-- owner's Stripe customer id, for matching against a Stripe export.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
SELECT t.id                                AS transaction_id,
       t.account_id                        AS account_id,
       a.user_id                           AS user_id,
       t.stripe_payment_intent_id::text    AS payment_intent_id,
       t.amount::numeric                   AS amount,
       (t.created_at >= :from AND t.created_at < :to) AS in_window,
       u.billing_customer_id::text         AS billing_customer_id
FROM credit_transactions t
JOIN credit_accounts a ON a.id = t.account_id
JOIN users u ON u.id = a.user_id
WHERE t.transaction_type = 'purchase'
  AND t.stripe_payment_intent_id IS NOT NULL
