-- name: reconciliation_intents
-- Every purchase and refund, all time, that carries a payment intent the
-- window touches: the intent of a purchase or a refund created in
-- [from, to), or one of :intents (the Stripe export's payments created in
-- the window). Ordered by intent, then ledger order, so the reconciliation
-- reads one intent at a time: its duplicate purchases, its refunds against
-- what was bought, and what Stripe says of it. The window's transactions
-- come through the created_at index; the intents' other transactions are
-- looked up by stripe_payment_intent_id, which the seed's schema does not
-- index (schema/optional/credit_transactions_payment_intent.sql does: with
-- it each intent is one index probe, without it every purchase and refund
-- is read).
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
-- param: intents text[]?  payment intents of the export's payments created in the window
WITH touched AS (
    SELECT stripe_payment_intent_id AS intent
    FROM credit_transactions
    WHERE created_at >= :from AND created_at < :to
      AND transaction_type IN ('purchase', 'refund') AND stripe_payment_intent_id IS NOT NULL
    UNION
    SELECT unnest(coalesce(:intents, '{}'))
)
SELECT t.stripe_payment_intent_id::text                AS payment_intent_id,
       t.transaction_type::text                        AS transaction_type,
       t.id                                            AS transaction_id,
       t.account_id                                    AS account_id,
       a.user_id                                       AS user_id,
       t.amount::numeric                               AS amount,
       (t.created_at >= :from AND t.created_at < :to)  AS in_window,
       u.billing_customer_id::text                     AS billing_customer_id
FROM touched
JOIN credit_transactions t ON t.stripe_payment_intent_id = touched.intent
JOIN credit_accounts a ON a.id = t.account_id
JOIN users u ON u.id = a.user_id
WHERE t.transaction_type IN ('purchase', 'refund') AND t.stripe_payment_intent_id IS NOT NULL
ORDER BY t.stripe_payment_intent_id COLLATE "C", t.created_at, t.id
