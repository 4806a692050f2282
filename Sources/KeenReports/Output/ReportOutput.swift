/// One output of a report (`cost_per_tool`, or `agent_trees` beside
/// `recursion_depth`): its columns and the CSV, JSON and/or XLSX file it goes to.
/// Rows are written as they come; the files stay under temporary names until
/// the whole run succeeds (`StagedFiles.commitAll`).
public final class ReportOutput {
    public let name: String
    public let columns: [ReportColumn]
    private let csv: CSVReportWriter?
    private let json: JSONReportWriter?
    private let xlsx: XLSXOutput?
    public private(set) var rowCount: Int64 = 0
    /// Extra members of the JSON object, after the rows.
    public var jsonExtras: [(String, JSONValue)] = []
    /// Called with the row count every `progressInterval` rows.
    var onProgress: ((Int64) -> Void)?
    static let progressInterval: Int64 = 1 << 16

    private let options: OutputOptions
    private let zone: ReportTimeZone

    init(name: String, columns: [ReportColumn], options: OutputOptions, parameters: JSONValue,
         generatedAt: String, zone: ReportTimeZone, staging: StagedFiles) throws(EngineError) {
        self.name = name
        self.columns = columns
        self.options = options
        self.zone = zone
        if options.formats.contains(.csv) {
            let file = try staging.create(options.path(of: name, .csv))
            csv = try CSVReportWriter(file: file, columns: columns, zone: zone, formulaGuard: options.formulaGuard)
        } else {
            csv = nil
        }
        if options.formats.contains(.json) {
            let file = try staging.create(options.path(of: name, .json))
            json = try JSONReportWriter(file: file, report: name, columns: columns, parameters: parameters,
                                        generatedAt: generatedAt, zone: zone)
        } else {
            json = nil
        }
        if options.formats.contains(.xlsx) {
            xlsx = try XLSXOutput(file: staging.create(options.path(of: name, .xlsx)), name: name, columns: columns,
                                  parameters: parameters, generatedAt: generatedAt, zone: zone, rowsPerSheet: options.xlsxRowsPerSheet)
        } else {
            xlsx = nil
        }
    }

    /// Writes a row given by column name. The names must be this output's
    /// columns, each once, in any order (in order, nothing is looked up).
    public func write(_ row: KeyValuePairs<String, ReportValue>) throws(EngineError) {
        do {
            try write(try columns.values(of: row))
        } catch {
            throw error.prefixed(name)
        }
    }

    public func write(_ row: [ReportValue]) throws(EngineError) {
        precondition(row.count == columns.count, "\(name): a row of \(row.count) values for \(columns.count) columns")
        try csv?.write(row)
        try json?.write(row)
        try xlsx?.writer.write(row)
        rowCount += 1
        if rowCount % Self.progressInterval == 0 { onProgress?(rowCount) }
    }

    /// What writes a query's rows as they are (the path of reports with no
    /// Swift aggregation), once the query is known to return exactly this
    /// output's columns, by name and in order.
    func recordWriter(for result: ResultColumns) throws(EngineError) -> (CopyRow) throws -> Void {
        try result.require(exactly: columns.map(\.name), for: name)
        return { try self.write(record: $0) }
    }

    /// Writes a COPY row whose columns are this output's columns, straight
    /// to the writers.
    private func write(record: CopyRow) throws {
        guard record.count == columns.count else {
            throw EngineError.engine("\(name): the query returns \(record.count) columns; the report declares \(columns.count)")
        }
        try csv?.write(record: record)
        try json?.write(record: record)
        try xlsx?.writer.write(record: record)
        rowCount += 1
        if rowCount % Self.progressInterval == 0 { onProgress?(rowCount) }
    }

    /// Whether rows formatted apart (`fragment`) can be appended: CSV and
    /// JSON rows can, a workbook's cannot.
    var takesFragments: Bool { xlsx == nil }

    /// Writers for rows formatted on another thread, into temporary files
    /// beside this output's, for `append(_:)`.
    func fragment(_ number: Int) throws(EngineError) -> OutputFragment {
        try OutputFragment(name: name, number: number, columns: columns, options: options, zone: zone)
    }

    /// Appends a fragment's rows, in order, and removes its files.
    func append(_ fragment: OutputFragment) throws(EngineError) {
        defer { fragment.discard() }
        if let csv, let rows = fragment.csv { try csv.append(rowsOf: rows.file) }
        if let json, let rows = fragment.json { try json.append(rowsOf: rows.file, count: fragment.rowCount) }
        rowCount += fragment.rowCount
        onProgress?(rowCount)
    }

    /// Writes the JSON trailer; the files are complete but not yet in place.
    func finish() throws(EngineError) {
        try json?.finish(extras: jsonExtras)
        try xlsx?.finish(rows: rowCount)
    }

    var files: [AtomicFile] { [csv?.file, json?.file, xlsx?.file].compactMap { $0 } }
}

/// The files of a run, kept under temporary names until all of them are
/// complete, then renamed into place together; on failure all are removed.
public final class StagedFiles {
    private var files: [AtomicFile] = []

    public init() {}

    public func create(_ path: String) throws(EngineError) -> AtomicFile {
        let file = try AtomicFile(path: path)
        files.append(file)
        return file
    }

    public func commitAll() throws(EngineError) {
        for file in files { try file.commit() }
    }

    public func discardAll() {
        files.forEach { $0.discard() }
    }
}
