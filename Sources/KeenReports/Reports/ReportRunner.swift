import Foundation

/// Runs reports: parameters → queries in one snapshot → row streams →
/// aggregation → writers → files that appear together at the end.
public struct ReportRunner {
    public let catalog: ReportCatalog

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
    /// file appears unless every report succeeded.
    public func run(_ reports: [ReportDefinition], parameters: ReportParameters, connection settings: ConnectionSettings,
                    output options: OutputOptions, statementTimeout: String = Self.defaultStatementTimeout) throws -> [Written] {
        try Self.prepareDirectory(options.directory)
        let connection = try PostgresConnection(settings)
        let transaction = try ReportTransaction(connection: connection, parameters: parameters, statementTimeout: statementTimeout)
        let staging = StagedFiles()
        do {
            var written: [Written] = []
            for report in reports {
                written += try write(report, transaction: transaction, parameters: parameters, options: options, staging: staging)
            }
            try transaction.commit()
            try staging.commitAll()
            return written
        } catch {
            staging.discardAll()
            throw error
        }
    }

    /// Generous, but a runaway query still ends.
    public static let defaultStatementTimeout = "1h"

    func write(_ report: ReportDefinition, transaction: ReportTransaction, parameters: ReportParameters,
               options: OutputOptions, staging: StagedFiles, progress: ((Int64) -> Void)? = nil) throws -> [Written] {
        let generatedAt = Self.now(in: parameters.window.zone)
        var outputs: [String: ReportOutput] = [:]
        for definition in report.outputs {
            outputs[definition.name] = try ReportOutput(name: definition.name, columns: definition.columns, options: options,
                                                        parameters: parameters.json, generatedAt: generatedAt,
                                                        zone: parameters.window.zone, staging: staging)
            outputs[definition.name]?.onProgress = progress
        }
        let context = ReportContext(transaction: transaction, catalog: catalog, definition: report, parameters: parameters)
        do {
            try produce(report, context: context, outputs: outputs)
        } catch let error as EngineError {
            throw EngineError(error.status, "report \(report.name): \(error.message)")
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
            try context.stream(report.queries[0]) { try output.write(record: $0) }
        }
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
