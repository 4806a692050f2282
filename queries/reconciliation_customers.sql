-- name: reconciliation_customers
-- Users by Stripe customer id, to name the user of a payment that no
-- purchase carries.
SELECT billing_customer_id::text AS billing_customer_id,
       min(id::text)::uuid       AS user_id
FROM users
WHERE billing_customer_id IS NOT NULL
GROUP BY billing_customer_id
