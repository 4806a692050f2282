extension NightlyRunner {
    /// Where a night's reconciliation starts: the newest trustworthy
    /// checkpoint, unless a full pass is due (none, `--full`, or the last full
    /// pass `fullPassEvery` days ago or more). `previousRegister` reads last
    /// night's exception register when the reconciliation needs it.
    func ledgerStart(_ date: CivilDate, window: ReportWindow, options: Options,
                     previousRegister: @escaping @Sendable () -> ExceptionRegisterHistory) -> Reconciler.NightlyLedger {
        func start(_ checkpoint: LedgerCheckpoint?, whyFull: String?) -> Reconciler.NightlyLedger {
            .init(date: date, checkpoint: checkpoint, whyFull: whyFull, outputDirectory: options.outputDirectory,
                  previousRegister: previousRegister)
        }
        if options.fullPass { return start(nil, whyFull: "--full was given") }
        let (checkpoint, problem) = LedgerCheckpoint.newest(in: options.outputDirectory, before: date, windowStart: window.from)
        guard let checkpoint else { return start(nil, whyFull: problem) }
        let age = date.daysSinceUnixEpoch - checkpoint.lastFullPass.daysSinceUnixEpoch
        if age >= Int64(options.fullPassEvery) {
            return start(nil, whyFull: "the last full pass was on \(checkpoint.lastFullPass), \(age) days ago (one at least every \(options.fullPassEvery))")
        }
        return start(checkpoint, whyFull: nil)
    }
}
