-- Exceptions for the register's benchmark (scripts/bench --finance), on a
-- copy of the benchmark's data: about a thousand discrepancies found on
-- 2026-11-14 that the night of 2026-11-15 carries and checks again, of the
-- three kinds that are checked differently.
-- 200 accounts whose stored balance is off: BALANCE_MISMATCH, every night's pass.
UPDATE credit_accounts SET current_balance = current_balance + 1
WHERE id IN (SELECT id FROM credit_accounts ORDER BY id LIMIT 200);
-- 200 usage rows of 2026-11-14 whose balance_after breaks the chain:
-- CHAIN_BREAK (their accounts' ledgers are read again the next night).
UPDATE credit_transactions SET balance_after = balance_after + 1
WHERE id IN (SELECT id FROM credit_transactions
             WHERE created_at >= '2026-11-14T00:00:00Z' AND created_at < '2026-11-15T00:00:00Z' AND transaction_type = 'usage'
             ORDER BY id LIMIT 200);
-- 200 sessions ended 2026-11-14 that cost more than their usage bills:
-- SESSION_COST_MISMATCH (the sessions are looked up again by id).
UPDATE agent_sessions SET total_cost = total_cost + 0.5
WHERE id IN (SELECT id FROM agent_sessions
             WHERE end_time >= '2026-11-14T00:00:00Z' AND end_time < '2026-11-15T00:00:00Z' ORDER BY id LIMIT 200);
