import Foundation

/// Runs reports: parameters → queries in one snapshot → row streams →
/// aggregation → writers → files that appear together at the end.
public struct ReportRunner {
    public let catalog: ReportCatalog
    /// Ids held in memory at most when distinct sessions are counted
    /// (`PartitionedIDToolCounter`); tests lower it to see many partitions.
    public var idsPerPartition = PartitionedIDToolCounter.defaultPerPartition

    public init(catalog: ReportCatalog) {
        self.catalog = catalog
    }

    /// What a run wrote for one output.
    public struct Written: Sendable {
        public let name: String
        public let rows: Int64
        public let paths: [String]
    }

    /// Runs `reports` in one read-only snapshot and writes their files. No
    /// file appears unless every report succeeded. With `jobs` > 1, reports
    /// whose definition allows it split their scan over that many
    /// connections sharing the snapshot (`SplitScan`).
    public func run(_ reports: [ReportDefinition], parameters: ReportParameters, connection settings: ConnectionSettings,
                    output options: OutputOptions, statementTimeout: StatementTimeout = .standard,
                    jobs: Int = 1, replica: ReplicaOptions = ReplicaOptions()) throws -> [Written] {
        if parameters.userID != nil, let report = reports.first(where: { $0.platformWide == true }) {
            throw EngineError.usage("\(report.name) is platform-wide: it has no per-user rows, so --user-id cannot restrict it; run it without --user-id")
        }
        let session = ReadSession(settings: settings, statementTimeout: statementTimeout, replica: replica)
        return try session.inSnapshot(parameters, directory: options.directory) { transaction, staging in
            try RowSecurityCheck(queries: reports.flatMap { $0.queries.map(catalog.query(named:)) },
                                 tenant: parameters.userID != nil, offersTenant: true).verify(on: transaction.connection)
            var split: SplitContext?
            if jobs > 1 && reports.contains(where: { $0.split != nil }) {
                split = SplitContext(jobs: jobs, snapshot: try transaction.exportSnapshot(), session: session)
            }
            var written: [Written] = []
            for report in reports {
                written += try write(report, transaction: transaction, parameters: parameters, options: options, staging: staging,
                                     split: split, session: session)
            }
            return written
        }
    }

    /// What a split scan needs from the run: how many connections, and the
    /// snapshot they share.
    struct SplitContext {
        let jobs: Int
        let snapshot: String
        let session: ReadSession
    }

    func write(_ report: ReportDefinition, transaction: ReportTransaction, parameters: ReportParameters,
               options: OutputOptions, staging: StagedFiles, progress: ((Int64) -> Void)? = nil,
               split: SplitContext? = nil, session: ReadSession? = nil) throws -> [Written] {
        let generatedAt = Self.now(in: parameters.window.zone)
        var outputs: [String: ReportOutput] = [:]
        for definition in report.outputs {
            outputs[definition.name] = try ReportOutput(name: definition.name, columns: definition.columns, options: options,
                                                        parameters: parameters.json, generatedAt: generatedAt,
                                                        zone: parameters.window.zone, staging: staging)
            outputs[definition.name]?.onProgress = progress
        }
        let context = ReportContext(transaction: transaction, catalog: catalog, definition: report, parameters: parameters,
                                    idsPerPartition: idsPerPartition, session: session)
        do {
            if let split, let plan = report.split, outputs[report.outputs[0].name]!.takesFragments {
                try produceSplit(report, plan: plan, split: split, transaction: transaction, parameters: parameters,
                                 output: outputs[report.outputs[0].name]!)
            } else {
                try produce(report, context: context, outputs: outputs)
            }
        } catch let error as EngineError {
            throw error.prefixed("report \(report.name)")
        }
        return try report.outputs.map { definition in
            let output = outputs[definition.name]!
            try output.finish()
            return Written(name: output.name, rows: output.rowCount, paths: output.files.map(\.path))
        }
    }

    private func produce(_ report: ReportDefinition, context: ReportContext, outputs: [String: ReportOutput]) throws {
        if let name = report.aggregation, let aggregation = Aggregations.named(name) {
            try aggregation.run(context, outputs: ReportOutputs(byName: outputs))
        } else {
            // The query's rows are the output rows, column by column.
            let output = outputs[report.outputs[0].name]!
            try context.stream(report.queries[0], output.recordWriter)
        }
    }

    private func produceSplit(_ report: ReportDefinition, plan: ReportDefinition.Split, split: SplitContext,
                              transaction: ReportTransaction, parameters: ReportParameters, output: ReportOutput) throws {
        try SplitScan(query: catalog.query(named: report.queries[0]), parameters: parameters, split: plan, session: split.session,
                      snapshot: split.snapshot)
            .run(jobs: split.jobs, transaction: transaction, into: output)
    }

    static func prepareDirectory(_ path: String) throws(EngineError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
        } catch {
            throw .output("cannot create the output folder \(path): \(error.localizedDescription)")
        }
    }

    /// The current time in the report time zone, to the second.
    static func now(in zone: ReportTimeZone) -> String {
        let seconds = Int64(Date().timeIntervalSince1970)
        var formatter = TimestampFormatter(zone: zone)
        return formatter.format(Timestamp(unixMicroseconds: seconds * Timestamp.microsecondsPerSecond))
    }
}
