-- Plants one known instance of every reconciliation discrepancy (two rows
-- for a duplicated payment intent) in the window [2026-11-10, 2026-11-20)
-- UTC, edits the Stripe payments to match, and records the ground truth in
-- keen_gen.planted. Run after generate-data.sql, on a database of its own:
--
--   psql -f scripts/sql/plant-anomalies.sql
--
-- Ledger anomalies live on six new accounts with hand-written ledgers, or
-- change a single figure of existing data, so each plants exactly one
-- discrepancy and nothing else is flagged.
\set ON_ERROR_STOP on

CREATE TABLE keen_gen.planted (
    type text NOT NULL, account_id uuid, transaction_id uuid, session_id uuid, payment_intent_id text, user_id uuid
);

CREATE FUNCTION pg_temp.pid(name text) RETURNS uuid LANGUAGE sql AS $$ SELECT md5('planted:' || name)::uuid $$;

-- Seven new customers, each with an account. Planted customer 5 shares the
-- Stripe customer of the purchase whose payment intent it duplicates;
-- customer 7 has the refunds.
INSERT INTO users (id, email, username, password_hash, billing_customer_id)
SELECT pg_temp.pid('user' || n), 'planted' || n || '@example.com', 'planted-' || n, 'x', 'cus_planted_' || n
FROM generate_series(1, 7) AS n;
INSERT INTO credit_accounts (id, user_id) SELECT pg_temp.pid('account' || n), pg_temp.pid('user' || n) FROM generate_series(1, 7) AS n;

CREATE TEMP TABLE original AS
SELECT t.* FROM credit_transactions t WHERE t.transaction_type = 'purchase' ORDER BY t.created_at, t.id LIMIT 1;
UPDATE users SET billing_customer_id = (SELECT u.billing_customer_id FROM original o JOIN users u ON u.id = o.user_id)
WHERE id = pg_temp.pid('user5');

CREATE TEMP TABLE running_session AS SELECT id FROM agent_sessions WHERE end_time IS NULL ORDER BY id LIMIT 1;

-- (account n, transaction name, type, amount, balance_after, session, intent, created_at, transaction user)
INSERT INTO credit_transactions (id, user_id, account_id, transaction_type, amount, balance_after, session_id,
                                 stripe_payment_intent_id, description, created_at)
SELECT pg_temp.pid(v.name), coalesce(v.tx_user, pg_temp.pid('user' || v.n)), pg_temp.pid('account' || v.n), v.type,
       v.amount, v.balance_after, v.session_id, v.intent, 'planted ' || v.name, v.created_at
FROM (VALUES
    (1, 'chain-1', 'purchase', 50.0000, 50.0000, NULL::uuid, 'pi_planted_chain', timestamptz '2026-11-15 10:00:00+00', NULL::uuid),
    (1, 'chain-2', 'adjustment', 1.0000, 52.0000, NULL, NULL, '2026-11-15 11:00:00+00', NULL),
    (2, 'sign-1', 'purchase', 30.0000, 30.0000, NULL, 'pi_planted_sign', '2026-11-15 10:00:00+00', NULL),
    (2, 'sign-2', 'usage', 2.0000, 32.0000, (SELECT id FROM running_session), NULL, '2026-11-15 11:00:00+00', NULL),
    (3, 'nosession-1', 'purchase', 40.0000, 40.0000, NULL, 'pi_planted_nosession', '2026-11-15 10:00:00+00', NULL),
    (3, 'nosession-2', 'usage', -1.5000, 38.5000, NULL, NULL, '2026-11-15 11:00:00+00', NULL),
    (4, 'nointent-1', 'purchase', 20.0000, 20.0000, NULL, NULL, '2026-11-15 10:00:00+00', NULL),
    (5, 'duplicate-1', 'purchase', (SELECT amount FROM original), (SELECT amount FROM original), NULL,
        (SELECT stripe_payment_intent_id FROM original), '2026-11-15 10:00:00+00', NULL),
    (6, 'user-1', 'purchase', 25.0000, 25.0000, NULL, 'pi_planted_user', '2026-11-15 10:00:00+00',
        (SELECT id FROM users WHERE email = 'user1@example.com')),
    -- Refunds. Reported in [11-10, 11-20): refunds taking back 110 of a
    -- purchase of 100 (over-3), a refund of an intent no purchase carries
    -- (orphan), a credit refund with a negative amount (credit-sign), and,
    -- with the export, a refund Stripe says was 25 (mismatch-2). Not
    -- reported: a partial refund that matches Stripe to the cent (ok), a
    -- full refund of a payment Stripe shows as Refunded (full), a credit
    -- refund for a session (session), a purchase before the window refunded
    -- in it (before) and one in the window refunded after it (after).
    (7, 'refund-before-1', 'purchase', 30.0000, 30.0000, NULL, 'pi_planted_refund_before', '2026-11-03 10:00:00+00', NULL),
    (7, 'refund-over-1', 'purchase', 100.0000, 130.0000, NULL, 'pi_planted_refund_over', '2026-11-05 10:00:00+00', NULL),
    (7, 'refund-over-2', 'refund', -60.0000, 70.0000, NULL, 'pi_planted_refund_over', '2026-11-08 10:00:00+00', NULL),
    (7, 'refund-ok-1', 'purchase', 60.0000, 130.0000, NULL, 'pi_planted_refund_ok', '2026-11-11 10:00:00+00', NULL),
    (7, 'refund-mismatch-1', 'purchase', 80.0000, 210.0000, NULL, 'pi_planted_refund_mismatch', '2026-11-12 10:00:00+00', NULL),
    (7, 'refund-full-1', 'purchase', 25.0000, 235.0000, NULL, 'pi_planted_refund_full', '2026-11-12 11:00:00+00', NULL),
    (7, 'refund-ok-2', 'refund', -12.3400, 222.6600, NULL, 'pi_planted_refund_ok', '2026-11-13 10:00:00+00', NULL),
    (7, 'refund-mismatch-2', 'refund', -30.0000, 192.6600, NULL, 'pi_planted_refund_mismatch', '2026-11-14 10:00:00+00', NULL),
    (7, 'refund-before-2', 'refund', -10.0000, 182.6600, NULL, 'pi_planted_refund_before', '2026-11-14 11:00:00+00', NULL),
    (7, 'refund-over-3', 'refund', -50.0000, 132.6600, NULL, 'pi_planted_refund_over', '2026-11-15 10:00:00+00', NULL),
    (7, 'refund-orphan', 'refund', -20.0000, 112.6600, NULL, 'pi_planted_refund_orphan', '2026-11-16 10:00:00+00', NULL),
    (7, 'refund-credit-sign', 'refund', -3.0000, 109.6600, NULL, NULL, '2026-11-16 11:00:00+00', NULL),
    (7, 'refund-full-2', 'refund', -25.0000, 84.6600, NULL, 'pi_planted_refund_full', '2026-11-17 10:00:00+00', NULL),
    (7, 'refund-session', 'refund', 1.5000, 86.1600, (SELECT id FROM running_session), NULL, '2026-11-17 11:00:00+00', NULL),
    (7, 'refund-after-1', 'purchase', 45.0000, 131.1600, NULL, 'pi_planted_refund_after', '2026-11-18 10:00:00+00', NULL),
    (7, 'refund-after-2', 'refund', -45.0000, 86.1600, NULL, 'pi_planted_refund_after', '2026-11-22 10:00:00+00', NULL)
) AS v(n, name, type, amount, balance_after, session_id, intent, created_at, tx_user);

-- The new accounts agree with their ledgers.
UPDATE credit_accounts c SET
    current_balance = coalesce((SELECT t.balance_after FROM credit_transactions t WHERE t.account_id = c.id
                                ORDER BY t.created_at DESC, t.id DESC LIMIT 1), 0),
    lifetime_purchased = coalesce((SELECT sum(amount) FROM credit_transactions t WHERE t.account_id = c.id AND t.transaction_type = 'purchase'), 0),
    lifetime_spent = coalesce((SELECT -sum(amount) FROM credit_transactions t WHERE t.account_id = c.id AND t.transaction_type = 'usage'), 0)
WHERE c.id IN (SELECT pg_temp.pid('account' || n) FROM generate_series(1, 7) AS n);

INSERT INTO keen_gen.planted (type, account_id, transaction_id, payment_intent_id)
VALUES ('CHAIN_BREAK', pg_temp.pid('account1'), pg_temp.pid('chain-2'), NULL),
       ('SIGN_VIOLATION', pg_temp.pid('account2'), pg_temp.pid('sign-2'), NULL),
       ('USAGE_WITHOUT_SESSION', pg_temp.pid('account3'), pg_temp.pid('nosession-2'), NULL),
       ('MISSING_PAYMENT_INTENT', pg_temp.pid('account4'), pg_temp.pid('nointent-1'), NULL),
       ('DUPLICATE_PAYMENT_INTENT', pg_temp.pid('account5'), pg_temp.pid('duplicate-1'), (SELECT stripe_payment_intent_id FROM original)),
       ('DUPLICATE_PAYMENT_INTENT', (SELECT account_id FROM original), (SELECT id FROM original), (SELECT stripe_payment_intent_id FROM original)),
       ('ACCOUNT_USER_MISMATCH', pg_temp.pid('account6'), pg_temp.pid('user-1'), NULL),
       ('REFUND_EXCEEDS_PURCHASE', pg_temp.pid('account7'), pg_temp.pid('refund-over-1'), 'pi_planted_refund_over'),
       ('REFUND_WITHOUT_PURCHASE', pg_temp.pid('account7'), pg_temp.pid('refund-orphan'), 'pi_planted_refund_orphan'),
       ('SIGN_VIOLATION', pg_temp.pid('account7'), pg_temp.pid('refund-credit-sign'), NULL),
       ('REFUND_MISMATCH', pg_temp.pid('account7'), pg_temp.pid('refund-mismatch-1'), 'pi_planted_refund_mismatch');

-- One figure each on existing accounts (users 3, 4 and 5).
UPDATE credit_accounts SET current_balance = current_balance + 10
WHERE user_id = (SELECT id FROM users WHERE email = 'user3@example.com');
UPDATE credit_accounts SET lifetime_purchased = lifetime_purchased + 5
WHERE user_id = (SELECT id FROM users WHERE email = 'user4@example.com');
UPDATE credit_accounts SET lifetime_spent = lifetime_spent + 0.5
WHERE user_id = (SELECT id FROM users WHERE email = 'user5@example.com');
INSERT INTO keen_gen.planted (type, account_id)
SELECT kind, c.id FROM (VALUES ('BALANCE_MISMATCH', 'user3@example.com'), ('LIFETIME_PURCHASED_MISMATCH', 'user4@example.com'),
                               ('LIFETIME_SPENT_MISMATCH', 'user5@example.com')) AS v(kind, email)
JOIN users u ON u.email = v.email JOIN credit_accounts c ON c.user_id = u.id;

-- Sessions that ended in the window: one billed wrongly, one not billed.
CREATE TEMP TABLE mis_billed AS
SELECT s.id, s.user_id FROM agent_sessions s
WHERE s.end_time >= '2026-11-10 00:00:00+00' AND s.end_time < '2026-11-20 00:00:00+00'
  AND EXISTS (SELECT 1 FROM credit_transactions t WHERE t.session_id = s.id AND t.transaction_type = 'usage')
ORDER BY s.id LIMIT 1;
UPDATE agent_sessions SET total_cost = total_cost + 0.5 WHERE id = (SELECT id FROM mis_billed);
CREATE TEMP TABLE unbilled AS
SELECT s.id, s.user_id FROM agent_sessions s
WHERE s.end_time >= '2026-11-10 00:00:00+00' AND s.end_time < '2026-11-20 00:00:00+00' AND round(s.total_cost, 4) = 0
ORDER BY s.id LIMIT 1;
UPDATE agent_sessions SET total_cost = 0.75 WHERE id = (SELECT id FROM unbilled);
INSERT INTO keen_gen.planted (type, account_id, session_id)
SELECT 'SESSION_COST_MISMATCH', c.id, m.id FROM mis_billed m JOIN credit_accounts c ON c.user_id = m.user_id
UNION ALL
SELECT 'UNBILLED_SESSION', c.id, u.id FROM unbilled u JOIN credit_accounts c ON c.user_id = u.user_id;

-- The platform's own counters, recounted after the planted ledger rows, then
-- one wrong figure each on the last sample of 11-12 (purchased) and 11-13
-- (consumed), and one on a sample of 11-14 that is not its day's last (not
-- reported: only a day's last sample is checked).
SELECT keen_gen.fill_metric_money();
CREATE FUNCTION pg_temp.last_sample(day date) RETURNS uuid LANGUAGE sql AS $$
    SELECT id FROM system_metrics WHERE metric_timestamp >= day::timestamp AT TIME ZONE 'UTC'
      AND metric_timestamp < (day + 1)::timestamp AT TIME ZONE 'UTC' ORDER BY metric_timestamp DESC, id DESC LIMIT 1
$$;
UPDATE system_metrics SET credits_purchased_today = credits_purchased_today + 7 WHERE id = pg_temp.last_sample('2026-11-12');
UPDATE system_metrics SET credits_consumed_today = credits_consumed_today + 3 WHERE id = pg_temp.last_sample('2026-11-13');
UPDATE system_metrics SET credits_purchased_today = credits_purchased_today + 100
WHERE id = (SELECT id FROM system_metrics WHERE metric_timestamp >= '2026-11-14 00:00:00+00' AND metric_timestamp < '2026-11-14 12:00:00+00'
            ORDER BY metric_timestamp, id LIMIT 1);
INSERT INTO keen_gen.planted (type) VALUES ('METRICS_PURCHASED_MISMATCH'), ('METRICS_CONSUMED_MISMATCH');

-- Stripe's side: the export built from every purchase, then edited.
SELECT keen_gen.build_stripe_payments();
CREATE TEMP TABLE window_purchases AS
SELECT t.id, t.account_id, t.stripe_payment_intent_id AS intent, row_number() OVER (ORDER BY t.id) AS n
FROM credit_transactions t JOIN users u ON u.id = t.user_id
WHERE t.transaction_type = 'purchase' AND t.stripe_payment_intent_id IS NOT NULL
  AND t.created_at >= '2026-11-10 00:00:00+00' AND t.created_at < '2026-11-20 00:00:00+00'
  AND t.description NOT LIKE 'planted %' AND u.billing_customer_id IS NOT NULL
  AND t.stripe_payment_intent_id <> (SELECT stripe_payment_intent_id FROM original);
UPDATE keen_gen.stripe_payments SET status = 'Failed' WHERE id = (SELECT intent FROM window_purchases WHERE n = 1);
UPDATE keen_gen.stripe_payments SET amount = amount + 1 WHERE id = (SELECT intent FROM window_purchases WHERE n = 2);
UPDATE keen_gen.stripe_payments SET customer_id = 'cus_somebody_else' WHERE id = (SELECT intent FROM window_purchases WHERE n = 3);
INSERT INTO keen_gen.planted (type, account_id, transaction_id, payment_intent_id)
SELECT CASE n WHEN 1 THEN 'MISSING_IN_PROCESSOR' WHEN 2 THEN 'AMOUNT_MISMATCH' ELSE 'CUSTOMER_MISMATCH' END, account_id, id, intent
FROM window_purchases WHERE n <= 3;

-- What Stripe paid back of planted customer 7's payments.
UPDATE keen_gen.stripe_payments s SET amount_refunded = v.refunded, status = v.status
FROM (VALUES ('pi_planted_refund_before', 10.00, 'Partially refunded'), ('pi_planted_refund_over', 110.00, 'Refunded'),
             ('pi_planted_refund_ok', 12.34, 'Partially refunded'), ('pi_planted_refund_mismatch', 25.00, 'partially refunded'),
             ('pi_planted_refund_full', 25.00, 'Refunded'), ('pi_planted_refund_after', 45.00, 'Refunded')) AS v(id, refunded, status)
WHERE s.id = v.id;

INSERT INTO keen_gen.stripe_payments (id, description, created, amount, amount_refunded, currency, status, customer_id, customer_email)
VALUES ('pi_planted_orphan', 'Credits, paid but never booked', '2026-11-15 09:00:00+00', 1250.00, 0, 'usd', 'Paid',
        (SELECT billing_customer_id FROM users WHERE email = 'user2@example.com'), 'user2@example.com'),
       ('pi_planted_eur', 'Credits "in euros"', '2026-11-16 09:00:00+00', 30.00, 0, 'eur', 'Paid', 'cus_planted_6', 'planted6@example.com'),
       ('pi_planted_failed', 'A declined card', '2026-11-16 10:00:00+00', 50.00, 0, 'usd', 'Failed', 'cus_planted_6', 'planted6@example.com'),
       ('pi_planted_outside', 'Paid before the window', '2026-11-02 10:00:00+00', 10.00, 0, 'usd', 'Paid', 'cus_planted_6', 'planted6@example.com');
INSERT INTO keen_gen.planted (type, payment_intent_id, user_id)
VALUES ('MISSING_IN_LEDGER', 'pi_planted_orphan', (SELECT id FROM users WHERE email = 'user2@example.com')),
       ('UNSUPPORTED_CURRENCY', 'pi_planted_eur', pg_temp.pid('user6'));
