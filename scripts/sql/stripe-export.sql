-- Writes keen_gen.stripe_payments (built from the ledger's purchases when it
-- does not exist yet) as a Stripe dashboard payments export:
--
--   psql -q -f scripts/sql/stripe-export.sql > payments.csv
--
-- Columns in Stripe's order with extra ones among them, amounts in major
-- units with thousands separators (1,250.00), some creation times without
-- seconds, descriptions with commas and quotes.
\set ON_ERROR_STOP on
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'keen_gen' AND tablename = 'stripe_payments') THEN
        PERFORM keen_gen.build_stripe_payments();
    END IF;
END
$$;

COPY (SELECT id AS "id", description AS "Description", NULL AS "Seller Message", to_char(created AT TIME ZONE 'UTC', CASE WHEN hashtext(id) % 4 = 0 THEN 'YYYY-MM-DD HH24:MI' ELSE 'YYYY-MM-DD HH24:MI:SS' END) AS "Created date (UTC)", to_char(amount, 'FM999,999,990.00') AS "Amount", to_char(amount_refunded, 'FM999,999,990.00') AS "Amount Refunded", currency AS "Currency", 'true' AS "Captured", to_char(amount, 'FM999,999,990.00') AS "Converted Amount", '0.30' AS "Fee", status AS "Status", customer_id AS "Customer ID", customer_email AS "Customer Email", 'visa' AS "Card Brand" FROM keen_gen.stripe_payments ORDER BY created, id) TO STDOUT WITH (FORMAT csv, HEADER true);
