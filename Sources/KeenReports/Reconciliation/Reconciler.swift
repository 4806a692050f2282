import Foundation

/// Finance's reconciliation: does the credit ledger add up, and does it agree
/// with Stripe? Reads everything in one read-only snapshot, writes
/// `reconciliation_summary.json` and `reconciliation_discrepancies.csv` /
/// `.json` together, and says whether anything was found.
public struct Reconciler {
    public struct Options: Sendable {
        public let window: ReportWindow
        /// Checks that compare two amounts pass when they differ by at most this.
        public let tolerance: ExactDecimal
        /// A Stripe dashboard payments export, already parsed.
        public let stripePayments: [StripePayment]?
        public let stripeExportName: String?
        /// Which files: the discrepancies as CSV and JSON, `reconciliation.xlsx`
        /// for xlsx. The summary JSON is always written.
        public let formats: Set<OutputOptions.Format>
        /// `--mark`: change the ledger's reconciliation statuses after the checks.
        public let marking: LedgerMarking?
        /// `--metrics-tz`: where the platform's `system_metrics` days begin.
        public var metricsZone = ReportTimeZone.utc
        /// A nightly day: the checkpoint to start from (nil: a full pass, for
        /// `whyFull`), and a new checkpoint to write at the day's end.
        var nightly: NightlyLedger?

        public init(window: ReportWindow, tolerance: ExactDecimal = .zero, stripeExport path: String? = nil,
                    formats: Set<OutputOptions.Format> = OutputOptions.Format.defaults,
                    marking: LedgerMarking? = nil) throws(EngineError) {
            try self.init(window: window, tolerance: tolerance,
                          stripePayments: try path.map { path throws(EngineError) in try StripeExport.read(path: path) },
                          stripeExportName: path, formats: formats, marking: marking)
        }

        /// With an export already read (the nightly run reads it once for all days).
        public init(window: ReportWindow, tolerance: ExactDecimal = .zero, stripePayments: [StripePayment]?,
                    stripeExportName: String?, formats: Set<OutputOptions.Format> = OutputOptions.Format.defaults,
                    marking: LedgerMarking? = nil) throws(EngineError) {
            guard !tolerance.isNegative else { throw .usage("--tolerance must not be negative") }
            guard marking == nil || stripePayments != nil else {
                throw .usage("--mark needs --stripe-export: nothing can be called reconciled without the processor's side")
            }
            self.formats = formats
            self.marking = marking
            self.window = window
            self.tolerance = tolerance
            self.stripeExportName = stripeExportName
            self.stripePayments = stripePayments
        }
    }

    /// How a night reads the ledger, and what it carries from the nights before.
    struct NightlyLedger: Sendable {
        let date: CivilDate
        let checkpoint: LedgerCheckpoint?
        let whyFull: String?
        /// The output folder: the earlier days and `closes/`.
        var outputDirectory: String
        /// Last night's exception register; called once tonight's checks are
        /// done (a backfill's worker may wait there for the day before).
        var previousRegister: @Sendable () -> ExceptionRegisterHistory
    }

    public struct Outcome: Sendable {
        /// A file written, with its data rows (nil for one that is not a table).
        public struct File: Sendable {
            public let path: String
            public let rows: Int64?
            /// The report it belongs to: the reconciliation, or one of `nightlyReports`.
            public var report = "reconciliation"
        }

        public let discrepancies: Int
        public let balanced: Bool
        public let files: [File]
        /// Per discrepancy type (every type, zeros included).
        public let counts: [DiscrepancyType: Int64]
        /// With --mark: what was marked.
        public var marked: LedgerMarking.Outcome?
        /// A night's ledger pass: full or incremental, and why full.
        public var ledgerPass: (kind: String, note: String)?
        public var paths: [String] { files.map(\.path) }
        public var clean: Bool { discrepancies == 0 && balanced }
        public var exitStatus: ExitStatus { clean ? .clean : .discrepancies }
    }

    public static let queries = ["reconciliation_ledger", "reconciliation_recent_count",
                                 "reconciliation_sessions", "reconciliation_sessions_ended", "reconciliation_intents",
                                 "reconciliation_customers", "reconciliation_ageing", "reconciliation_metrics",
                                 // A night's exception register and closed months.
                                 "reconciliation_recheck_ledger", "reconciliation_recheck_sessions", "reconciliation_recheck_intents",
                                 "reconciliation_statuses", "ledger_month_rows"]
    /// Catalogue reports a night's reconciliation writes from its own ledger
    /// pass (so they start from its verified checkpoint) instead of running
    /// them as jobs of their own.
    public static let nightlyReports = ["ledger_rollforward"]

    let catalog: ReportCatalog
    /// Called with `--mark` once the marks are made and before the files
    /// after them are written (tests fill the disk there).
    public var afterMarking: (() throws -> Void)?

    public init(catalog: ReportCatalog) {
        self.catalog = catalog
    }

    public func run(_ options: Options, connection settings: ConnectionSettings, output directory: String,
                    statementTimeout: StatementTimeout = .standard,
                    replica: ReplicaOptions = ReplicaOptions()) throws -> Outcome {
        if let marking = options.marking {
            // Before waiting for anything: a standby is refused, a missing grant named.
            try WriteTarget.marking.verify(on: try PostgresConnection(settings), checkPrivileges: !marking.dryRun)
        }
        let session = ReadSession(settings: settings, statementTimeout: statementTimeout, replica: replica)
        return try session.inSnapshot(try ReportParameters(window: options.window), directory: directory) { transaction, staging in
            try RowSecurityCheck(queries: Self.queries.map(catalog.query(named:)), tenant: false).verify(on: transaction.connection)
            return try reconcile(options, transaction: transaction, directory: directory, staging: staging)
        }
    }

    /// Runs every check in `transaction`, then stages the files in
    /// `staging`, and with `--mark` makes the marks and commits them last,
    /// once every file is staged: a failure before that leaves the ledger as
    /// it was (WRITES.md). The caller puts the files in place after.
    public func reconcile(_ options: Options, transaction: ReportTransaction, directory: String,
                          staging: StagedFiles) throws -> Outcome {
        let window = options.window
        let findings = try check(options, transaction: transaction)
        let ledger = findings.ledger
        var discrepancies = findings.discrepancies
        var closedMonths: ClosedMonthCheck?
        if let nightly = options.nightly {
            let due = try ClosedMonthCheck.due(night: nightly.date, fullPass: findings.seed == nil, outputDirectory: nightly.outputDirectory)
            let check = try ClosedMonthCheck(due, outputDirectory: nightly.outputDirectory, catalog: catalog, transaction: transaction)
            discrepancies = (discrepancies + check.discrepancies).sorted(by: Discrepancy.precedes)
            closedMonths = check
        }
        let ageing = findings.ageing
        let seed = findings.seed

        let totals = ledger.totals
        let balanced = totals.closingBalanceTotal - totals.openingBalanceTotal == totals.netChange
        let parametersJSON = Self.parametersJSON(options)
        let generatedAt = ReportRunner.now(in: window.zone)
        let output = try ReportOutput(name: "reconciliation_discrepancies", columns: Discrepancy.columns,
                                      options: OutputOptions(directory: directory, formats: options.formats.subtracting([.xlsx])),
                                      parameters: parametersJSON,
                                      generatedAt: generatedAt, zone: window.zone, staging: staging)
        for discrepancy in discrepancies { try output.write(discrepancy.row) }
        try output.finish()
        var files = output.files.map { Outcome.File(path: $0.path, rows: output.rowCount) }

        // Marks are made now but committed last, after every file is staged.
        var marks: LedgerMarking.Pending?
        if let marking = options.marking {
            let pending = try marking.apply(LedgerMarking.targets(discrepancies: discrepancies, matched: findings.matched),
                                            window: window, snapshot: transaction)
            marks = pending
            let output = try ReportOutput(name: "reconciliation_marks", columns: LedgerMarking.columns,
                                          options: OutputOptions(directory: directory, formats: options.formats.subtracting([.xlsx])),
                                          parameters: parametersJSON, generatedAt: generatedAt, zone: window.zone, staging: staging)
            for mark in pending.outcome.marks { try output.write(mark.row) }
            try output.finish()
            files += output.files.map { Outcome.File(path: $0.path, rows: output.rowCount) }
            try afterMarking?()
        }
        let marked = marks?.outcome

        var ledgerPass: (kind: String, note: String)?
        var register: (tonight: ExceptionRegister, source: String)?
        if let nightly = options.nightly {
            let history = nightly.previousRegister()
            let tonight = try advance(history.register, discrepancies: discrepancies, options: options, transaction: transaction,
                                      closedMonthsVerified: closedMonths?.verified ?? [])
            files += try writeRegister(tonight, source: history.source, directory: directory, options: options,
                                       generatedAt: generatedAt, staging: staging)
            register = (tonight, history.source)
            let checkpoint = LedgerCheckpoint(asOf: window.to, countedFrom: LedgerCheckpoint.countedFrom(asOf: window.to),
                                              transactionsCounted: findings.countedBeforeSeed + ledger.transactionsCounted,
                                              lastFullPass: seed?.lastFullPass ?? nightly.date, accounts: ledger.checkpointAccounts)
            let file = try staging.create(directory + "/" + LedgerCheckpoint.fileName)
            try checkpoint.write(to: file)
            files.append(Outcome.File(path: file.path, rows: nil))
            if let rollforward = ledger.rollforward {
                files += try writeRollforward(rollforward, parameters: try ReportParameters(window: window), directory: directory,
                                              formats: options.formats, generatedAt: generatedAt, staging: staging)
            }
            ledgerPass = seed.map { ("incremental", "from the checkpoint of \($0.day?.description ?? "?") (transactions since \($0.asOf.utcText))") }
                ?? ("full", findings.whyFull ?? "a full pass")
        }
        let summary = ReconciliationSummary(options: options, parameters: parametersJSON, generatedAt: generatedAt,
                                            totals: totals, balanced: balanced, discrepancies: discrepancies,
                                            ageing: ageing, marked: marked,
                                            ledgerPass: ledgerPass.map { JSONValue.object([("kind", .string($0.kind)), ("note", .string($0.note))]) },
                                            exceptions: register.map { $0.tonight.summaryJSON(source: $0.source) },
                                            closedPeriods: closedMonths.map { .array($0.months.map(\.json)) })
        let summaryFile = try staging.create(directory + "/reconciliation_summary.json")
        try summaryFile.write(summary.json.serialized(indent: 0) + "\n")
        files.append(Outcome.File(path: summaryFile.path, rows: nil))
        if options.formats.contains(.xlsx) {
            let workbook = try staging.create(directory + "/reconciliation.xlsx")
            try ReconciliationWorkbook.write(workbook, summary: summary.json, discrepancies: discrepancies, zone: window.zone)
            files.append(Outcome.File(path: workbook.path, rows: Int64(discrepancies.count)))
        }
        var counts = Dictionary(uniqueKeysWithValues: DiscrepancyType.allCases.map { ($0, Int64(0)) })
        for discrepancy in discrepancies { counts[discrepancy.type, default: 0] += 1 }
        // The files are staged whole; the ledger changes now, and they are
        // put in place once this returns (and the snapshot's commit succeeds).
        try marks?.commit()
        return Outcome(discrepancies: discrepancies.count, balanced: balanced, files: files, counts: counts,
                       marked: marked, ledgerPass: ledgerPass)
    }

    /// `ledger_rollforward`'s files, as `run` writes them, from a night's ledger pass.
    private func writeRollforward(_ rollforward: LedgerRollforward, parameters: ReportParameters, directory: String,
                                  formats: Set<OutputOptions.Format>, generatedAt: String,
                                  staging: StagedFiles) throws -> [Outcome.File] {
        let definition = try catalog.report(named: "ledger_rollforward").outputs[0]
        let output = try ReportOutput(name: definition.name, columns: definition.columns,
                                      options: OutputOptions(directory: directory, formats: formats),
                                      parameters: parameters.json, generatedAt: generatedAt, zone: parameters.window.zone,
                                      staging: staging)
        for row in rollforward.rows { try output.write(row) }
        try output.finish()
        return output.files.map { Outcome.File(path: $0.path, rows: output.rowCount, report: "ledger_rollforward") }
    }

    static func parametersJSON(_ options: Options) -> JSONValue {
        var formatter = TimestampFormatter(zone: options.window.zone)
        return .object([
            ("from", .string(formatter.format(options.window.from))),
            ("to", .string(formatter.format(options.window.to))),
            ("tz", .string(options.window.zone.identifier)),
            ("tolerance", .string(options.tolerance.formatted(places: max(4, options.tolerance.scale)))),
            ("metrics_tz", .string(options.metricsZone.identifier)),
            ("stripe_export", options.stripeExportName.map { .string(URL(fileURLWithPath: $0).lastPathComponent) } ?? .null),
        ])
    }
}
