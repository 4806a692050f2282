import Foundation

/// `keen-reports close --month 2026-11`: finance signs off a month. Reads
/// the month's ledger in one read-only snapshot (its roll-forward, its rows'
/// digest) and writes `closes/<month>.json` and its rows file into the
/// output folder, nothing into the database. Refused while the register has
/// open exceptions of the month, unless they are accepted with a reason.
public struct MonthCloser {
    public struct Options: Sendable {
        public let month: CivilMonth
        public let zone: ReportTimeZone
        public let outputDirectory: String
        /// `--accept-open`: why the month closes with open exceptions.
        public let acceptOpen: String?

        public init(month: CivilMonth, zone: ReportTimeZone, outputDirectory: String, acceptOpen: String?) {
            self.month = month
            self.zone = zone
            self.outputDirectory = outputDirectory
            self.acceptOpen = acceptOpen
        }
    }

    public struct Outcome: Sendable {
        public let path: String
        public let rows: Int64
        public let sha256: String
        public let openExceptions: Int
    }

    static let queries = ["ledger_month_rows", "reconciliation_ledger"]

    let catalog: ReportCatalog

    public init(catalog: ReportCatalog) {
        self.catalog = catalog
    }

    public func close(_ options: Options, connection settings: ConnectionSettings,
                      statementTimeout: StatementTimeout = .standard) throws -> Outcome {
        let month = options.month
        let window = try month.window(in: options.zone)
        guard window.to.unixMicroseconds <= Int64(Date().timeIntervalSince1970 * 1_000_000) else {
            throw EngineError.invalid(.windowEnd, "\(month) has not ended yet in \(options.zone.identifier): a month closes once it is over")
        }
        let path = MonthClose.path(of: month, in: options.outputDirectory)
        if FileManager.default.fileExists(atPath: path) {
            let closed = (try? MonthClose(path: path)).map { " at \($0.closedAt) by \($0.closedBy)" } ?? ""
            throw EngineError(.discrepancies, "\(month) is closed already (\(path), closed\(closed)); nothing was written. A closed month stays closed: to close it again, move that file away deliberately")
        }
        let (register, open) = try openExceptions(of: month, options: options)
        if !open.isEmpty && options.acceptOpen == nil {
            throw EngineError(.discrepancies, "\(month) has \(open.count) open exception\(open.count == 1 ? "" : "s") in the register of \(register?.night.description ?? "?") (the oldest: \(open[0].key.text), first seen \(open[0].firstSeen)); settle them, or close with --accept-open \"why\"; nothing was written")
        }

        let session = ReadSession(settings: settings, statementTimeout: statementTimeout)
        let folder = options.outputDirectory + "/" + MonthClose.folder
        return try session.inSnapshot(try ReportParameters(window: window), directory: folder) { transaction, staging in
            try RowSecurityCheck(queries: Self.queries.map(catalog.query(named:)), tenant: false).verify(on: transaction.connection)
            let role = try transaction.connection.execute("SELECT current_user::text AS role")["role"] ?? "?"
            let (digest, ledger) = try MonthLedgerDigest.read(window, keepsRows: true, catalog: catalog, transaction: transaction)
            let rollforward = try Self.rollforward(window, catalog: catalog, transaction: transaction)

            let rowsFile = try staging.create(MonthClose.rowsPath(of: month, in: options.outputDirectory))
            let rowsHasher = SHA256()
            for row in ledger.kept {
                let line = Array("\(row.id)\t\(row.amount.formatted(places: 4))\t\(row.digest)\n".utf8)
                rowsHasher.update(line)
                try rowsFile.write(line)
            }
            let close = MonthClose(month: month, zone: options.zone, window: window, closedAt: ReportRunner.now(in: options.zone),
                                   closedBy: role, rows: ledger.rows, sha256: digest, netAmount: ledger.amount,
                                   rowsFileSHA256: rowsHasher.finalizeHex())
            let file = try staging.create(path)
            try file.write(close.json(rollforward: rollforward, acceptedOpen: options.acceptOpen, register: register,
                                      openExceptions: open).serialized(indent: 0) + "\n")
            return Outcome(path: path, rows: ledger.rows, sha256: digest, openExceptions: open.count)
        }
    }

    /// `close --verify`: the month's rows hashed again now, against its
    /// close; the differing rows as the night would report them (none when
    /// the month is as it was closed). Writes nothing.
    public func verify(_ month: CivilMonth, outputDirectory: String, connection settings: ConnectionSettings,
                       statementTimeout: StatementTimeout = .standard) throws -> [Discrepancy] {
        let path = MonthClose.path(of: month, in: outputDirectory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw EngineError.badInput("\(month) is not closed in \(outputDirectory) (no \(path))")
        }
        let close = try MonthClose(path: path)
        let session = ReadSession(settings: settings, statementTimeout: statementTimeout)
        let (transaction, _) = try session.begin(try ReportParameters(window: close.window))
        try RowSecurityCheck(queries: [catalog.query(named: "ledger_month_rows")], tenant: false).verify(on: transaction.connection)
        let check = try ClosedMonthCheck([close], outputDirectory: outputDirectory, catalog: catalog, transaction: transaction)
        try transaction.commit()
        return check.discrepancies
    }

    /// The exceptions open in the newest register written, first seen by
    /// the month's last day. No register reaching that day: refused unless
    /// `--accept-open` says why the month closes without one.
    private func openExceptions(of month: CivilMonth,
                                options: Options) throws(EngineError) -> (ExceptionRegister?, [RegisteredException]) {
        let history = ExceptionRegisterHistory(before: CivilDate(year: 9999, month: 12, day: 31)!,
                                               in: options.outputDirectory, metricsZone: .utc)
        guard history.register.night >= month.lastDay, !history.source.hasPrefix("none") else {
            guard options.acceptOpen != nil else {
                throw EngineError(.discrepancies, "no night's exception register in \(options.outputDirectory) reaches \(month.lastDay), so whether \(month) has open exceptions is unknown; run nightly through the month's last day, or close with --accept-open \"why\"; nothing was written")
            }
            return (nil, [])
        }
        return (history.register, history.register.open.filter { $0.firstSeen <= month.lastDay })
    }

    /// The month's roll-forward, summed over its days, from the whole ledger.
    static func rollforward(_ window: ReportWindow, catalog: ReportCatalog, transaction: ReportTransaction) throws -> JSONValue {
        var rollforward = LedgerRollforward(window: window)
        var account: String?
        try transaction.stream(catalog.query(named: "reconciliation_ledger"), as: LedgerRow.self) { row in
            if row.account.id != account {
                if account != nil { rollforward.finishAccount() }
                account = row.account.id
                rollforward.startAccount()
            }
            guard let transaction = row.transaction else { return }
            rollforward.consume(createdAt: transaction.createdAt, kind: transaction.kind, amount: transaction.amount,
                                balanceAfter: transaction.balanceAfter)
        }
        if account != nil { rollforward.finishAccount() }
        return rollforward.monthTotals
    }
}
