/// `ledger_rollforward` for `run`: the whole ledger, one account at a time
/// in ledger order (the reconciliation's `reconciliation_ledger`), rolled
/// forward day by day over the window. A night writes the same rows from its
/// reconciliation's ledger pass instead (`Reconciler.nightlyReports`), which
/// starts from its verified checkpoint and so reads only the day.
enum LedgerRollforwardAggregation: ReportAggregation {
    static let name = "ledger_rollforward"
    static let outputColumns = ["ledger_rollforward": LedgerRollforward.columns]

    static func run(_ context: ReportContext, outputs: ReportOutputs) throws {
        var rollforward = LedgerRollforward(window: context.parameters.window)
        var account: String?
        try context.stream("reconciliation_ledger", as: LedgerRow.self) { row in
            if row.account.id != account {
                if account != nil { rollforward.finishAccount() }
                account = row.account.id
                rollforward.startAccount()
            }
            guard let transaction = row.transaction else { return }  // an account with no transactions
            rollforward.consume(createdAt: transaction.createdAt, kind: transaction.kind, amount: transaction.amount,
                                balanceAfter: transaction.balanceAfter)
        }
        if account != nil { rollforward.finishAccount() }
        let output = outputs["ledger_rollforward"]
        for row in rollforward.rows { try output.write(row) }
    }
}
