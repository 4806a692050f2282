-- name: reconciliation_duplicate_intents
-- Purchases whose stripe_payment_intent_id is carried by more than one
-- purchase, at least one of them in [from, to): every purchase involved,
-- in the window or not.
-- param: from timestamptz  start of the window (inclusive)
-- param: to timestamptz  end of the window (exclusive)
WITH duplicated AS (
    SELECT stripe_payment_intent_id
    FROM credit_transactions
    WHERE transaction_type = 'purchase' AND stripe_payment_intent_id IS NOT NULL
    GROUP BY stripe_payment_intent_id
    HAVING count(*) > 1 AND bool_or(created_at >= :from AND created_at < :to)
)
SELECT t.id                                AS transaction_id,
       t.account_id                        AS account_id,
       a.user_id                           AS user_id,
       t.stripe_payment_intent_id::text    AS payment_intent_id,
       t.amount::numeric                   AS amount
FROM credit_transactions t
JOIN duplicated d ON d.stripe_payment_intent_id = t.stripe_payment_intent_id
JOIN credit_accounts a ON a.id = t.account_id
WHERE t.transaction_type = 'purchase'
