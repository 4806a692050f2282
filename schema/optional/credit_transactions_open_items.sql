-- Optional index for keen-reports (see docs/finance.md, "What a night
-- reads"). The reconciliation's pending and disputed ageing reads every open
-- item of the ledger (a purchase still pending, any disputed transaction),
-- however old: statuses change in place, so no checkpoint can carry them.
-- Without this index that is a scan of the whole ledger; with it, an
-- index-only scan of the open items alone (after VACUUM has set the
-- visibility map, as autovacuum does). No report depends on this index:
-- results are the same without it. Its predicate is the query's own, so
-- the planner can use it.
--
-- Run it on the primary as the table's owner, outside a transaction block
-- (CONCURRENTLY lets the application keep writing while it builds):
--     psql "$PRIMARY_URL" -f schema/optional/credit_transactions_open_items.sql
--
-- cost: with the payment-intent index, a night over 10 times the history took 2.26 times as long without both, 1.37 times with them (BENCHMARKS.md)
-- for: nightly, reconcile
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_credit_transactions_open_items
    ON credit_transactions (created_at) INCLUDE (reconciliation_status, amount)
    WHERE reconciliation_status = 'disputed'
       OR (transaction_type = 'purchase' AND (reconciliation_status IS NULL OR reconciliation_status = 'pending'));
