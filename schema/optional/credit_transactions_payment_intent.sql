-- Optional index for keen-reports (see docs/finance.md, "What a night
-- reads"). The reconciliation looks up the purchases and refunds of the
-- payment intents its window touches (duplicates, refunds against their
-- purchase, Stripe's refunded amount); without an index on
-- stripe_payment_intent_id that reads every purchase and refund ever made,
-- so a night's time grows with the history behind it. With it, each intent
-- is one index probe. No report depends on this index: results are the same
-- without it. Partial: only the rows that carry an intent.
--
-- Run it on the primary as the table's owner, outside a transaction block
-- (CONCURRENTLY lets the application keep writing while it builds):
--     psql "$PRIMARY_URL" -f schema/optional/credit_transactions_payment_intent.sql
--
-- cost: with the open-items index, a night over 10 times the history took 2.26 times as long without both, 1.37 times with them (BENCHMARKS.md)
-- for: nightly, reconcile
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_credit_transactions_payment_intent
    ON credit_transactions (stripe_payment_intent_id) WHERE stripe_payment_intent_id IS NOT NULL;
