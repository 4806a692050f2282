/// A night's exception register: last night's, advanced by tonight's
/// discrepancies and the checks of what they no longer reach, written as
/// `exceptions.csv` / `.json` (and in the workbook's format) with its state.
extension Reconciler {
    func advance(_ previous: ExceptionRegister, discrepancies: [Discrepancy], options: Options,
                 transaction: ReportTransaction, closedMonthsVerified: Set<String>) throws -> ExceptionRegister {
        guard let nightly = options.nightly else { return previous }
        let zone = options.metricsZone
        let reported = Set(discrepancies.map { ExceptionKey($0, metricsZone: zone) })
        let carried = previous.open.filter { !reported.contains($0.key) }
        let recheck = try ExceptionRecheck(carried, options: options, catalog: catalog, transaction: transaction,
                                           closedMonthsVerified: closedMonthsVerified)
        let all = discrepancies + recheck.found
        let named = Set(all.compactMap(\.transactionID) + previous.open.compactMap(\.transactionID)).sorted()
        var statuses: [String: String] = [:]
        if !named.isEmpty {
            try transaction.stream(catalog.query(named: "reconciliation_statuses"),
                                   more: ["transactions": ArrayLiteral.text(named)]) { columns in
                let id = try columns.position(of: "transaction_id"), status = try columns.position(of: "reconciliation_status")
                return { row in if let value = try row.uuid(id) { statuses[value] = row.text(status) ?? LedgerTotals.unsetStatus } }
            }
        }
        let checked = recheck.checked
        return previous.advanced(to: .init(date: nightly.date, reported: all, checkedAgain: { checked.contains($0.key) },
                                           statuses: statuses, metricsZone: zone))
    }

    /// The register's files: the report in the night's formats, then the state.
    func writeRegister(_ register: ExceptionRegister, source: String, directory: String, options: Options,
                       generatedAt: String, staging: StagedFiles) throws -> [Outcome.File] {
        let zone = options.window.zone
        let output = try ReportOutput(name: ExceptionRegisterFile.reportName, columns: RegisteredException.columns,
                                      options: OutputOptions(directory: directory, formats: options.formats),
                                      parameters: Self.parametersJSON(options), generatedAt: generatedAt, zone: zone, staging: staging)
        output.jsonExtras = [("night", .string(register.night.description)), ("carried_from", .string(source)),
                             ("summary", register.summaryJSON(source: source))]
        for exception in register.open + register.closed { try output.write(exception.row) }
        try output.finish()
        let state = try staging.create(directory + "/" + ExceptionRegisterFile.stateName)
        try ExceptionRegisterFile.write(register, to: state)
        return output.files.map { Outcome.File(path: $0.path, rows: output.rowCount) } + [Outcome.File(path: state.path, rows: nil)]
    }
}
