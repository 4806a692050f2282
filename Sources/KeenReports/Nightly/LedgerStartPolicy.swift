extension NightlyRunner {
    /// Where a night's reconciliation starts: the newest trustworthy
    /// checkpoint, unless a full pass is due (none, `--full`, or the last full
    /// pass `fullPassEvery` days ago or more).
    func ledgerStart(_ date: CivilDate, window: ReportWindow, options: Options) -> Reconciler.NightlyLedger {
        if options.fullPass { return .init(date: date, checkpoint: nil, whyFull: "--full was given") }
        let (checkpoint, problem) = LedgerCheckpoint.newest(in: options.outputDirectory, before: date, windowStart: window.from)
        guard let checkpoint else { return .init(date: date, checkpoint: nil, whyFull: problem) }
        let age = date.daysSinceUnixEpoch - checkpoint.lastFullPass.daysSinceUnixEpoch
        if age >= Int64(options.fullPassEvery) {
            return .init(date: date, checkpoint: nil,
                         whyFull: "the last full pass was on \(checkpoint.lastFullPass), \(age) days ago (one at least every \(options.fullPassEvery))")
        }
        return .init(date: date, checkpoint: checkpoint, whyFull: nil)
    }
}
