import Foundation

/// Every report and query the engine knows: `reports/*.json` and
/// `queries/*.sql` under one catalog folder, checked against each other when
/// loaded so a broken definition fails before any query runs.
public struct ReportCatalog: Sendable {
    public let directory: URL
    public let reports: [ReportDefinition]
    public let queries: [String: QueryFile]

    public init(directory: URL) throws(EngineError) {
        self.directory = directory
        var queries: [String: QueryFile] = [:]
        for file in try Self.files(in: directory.appendingPathComponent("queries"), ending: ".sql") {
            let query = try QueryFile(text: try Self.read(file), fileName: "queries/" + file.lastPathComponent)
            guard file.deletingPathExtension().lastPathComponent == query.name else {
                throw .badInput("queries/\(file.lastPathComponent): its header names it '\(query.name)'; name the file after the query")
            }
            for parameter in query.parameters {
                guard ReportParameters.declarable[parameter.name] == parameter.type else {
                    throw .badInput("queries/\(file.lastPathComponent): parameter '\(parameter.name) \(parameter.type.rawValue)' is not one the engine sets (\(ReportParameters.declarable.keys.sorted().joined(separator: ", ")))")
                }
            }
            queries[query.name] = query
        }
        var reports: [ReportDefinition] = []
        for file in try Self.files(in: directory.appendingPathComponent("reports"), ending: ".json") {
            let definition: ReportDefinition
            do {
                definition = try JSONDecoder().decode(ReportDefinition.self, from: Data(try Self.read(file).utf8))
            } catch let error as EngineError {
                throw error
            } catch {
                throw .badInput("reports/\(file.lastPathComponent): not a report definition: \(error)")
            }
            try Self.check(definition, queries: queries, file: "reports/" + file.lastPathComponent)
            reports.append(definition)
        }
        self.reports = reports.sorted { $0.name < $1.name }
        self.queries = queries
    }

    /// The catalog folder: `explicit` (`--catalog`), else `KEEN_REPORTS_CATALOG`,
    /// else `<prefix>/share/keen-reports` beside `<prefix>/bin/keen-reports`,
    /// else the first folder holding `reports/` and `queries/` found walking
    /// up from the executable, then from the working directory, then
    /// `/usr/share/keen-reports`.
    public static func locate(explicit: String?) throws(EngineError) -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["KEEN_REPORTS_CATALOG"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        // The running binary itself (argv[0] may be a bare name found on PATH).
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        // An installed layout: <prefix>/bin/keen-reports with <prefix>/share/keen-reports.
        let besideBinary = executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/keen-reports")
        if isCatalog(besideBinary) { return besideBinary }
        // A checkout: the binary under .build/, or the working directory, inside the repository.
        let starts = [executable.deletingLastPathComponent(), URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                if isCatalog(folder) { return folder }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        let installed = URL(fileURLWithPath: "/usr/share/keen-reports")
        if isCatalog(installed) { return installed }
        throw .usage("cannot find the report catalog (folders reports/ and queries/); pass --catalog DIR or set KEEN_REPORTS_CATALOG")
    }

    public func report(named name: String) throws(EngineError) -> ReportDefinition {
        guard let report = reports.first(where: { $0.name == name }) else {
            throw .usage("unknown report '\(name.prefix(64))'; 'keen-reports list' shows the reports (\(reports.map(\.name).joined(separator: ", ")))")
        }
        return report
    }

    public func query(named name: String) -> QueryFile {
        // Definitions are checked against the queries when the catalog loads.
        queries[name]!
    }

    private static func check(_ definition: ReportDefinition, queries: [String: QueryFile], file: String) throws(EngineError) {
        for name in definition.queries where queries[name] == nil {
            throw .badInput("\(file): query '\(name)' has no file queries/\(name).sql")
        }
        guard !definition.outputs.isEmpty else { throw .badInput("\(file): no outputs") }
        if let aggregation = definition.aggregation {
            guard let type = Aggregations.named(aggregation) else {
                throw .badInput("\(file): unknown aggregation '\(aggregation)' (known: \(Aggregations.names.joined(separator: ", ")))")
            }
            let declared = Dictionary(uniqueKeysWithValues: definition.outputs.map { ($0.name, $0.columns.map(\.name)) })
            guard declared == type.outputColumns else {
                throw .badInput("\(file): its outputs and columns must be those aggregation '\(aggregation)' writes: \(type.outputColumns.sorted { $0.key < $1.key }.map { "\($0.key)(\($0.value.joined(separator: ", ")))" }.joined(separator: "; "))")
            }
        } else {
            guard definition.queries.count == 1, definition.outputs.count == 1 else {
                throw .badInput("\(file): a report without an aggregation has exactly one query and one output")
            }
        }
        if let split = definition.split {
            guard definition.aggregation == nil else { throw .badInput("\(file): only a report without an aggregation can be split") }
            let query = queries[definition.queries[0]]!
            guard query.parameters.contains(where: { $0.name == "from" && $0.type == .timestamptz }),
                  query.parameters.contains(where: { $0.name == "to" && $0.type == .timestamptz }) else {
                throw .badInput("\(file): a split report's query bounds its split column with :from and :to")
            }
            guard QueryParameter.isIdentifier(Substring(split.table)), QueryParameter.isIdentifier(Substring(split.column)),
                  definition.outputs[0].columns.contains(where: { $0.name == split.column && $0.type == .timestamp }) else {
                throw .badInput("\(file): split column '\(split.column)' is not a timestamp output column of table \(split.table)")
            }
        }
        for output in definition.outputs {
            for column in output.columns where column.type == .decimal && column.scale == nil {
                throw .badInput("\(file): decimal column '\(column.name)' needs a scale")
            }
        }
    }

    private static func isCatalog(_ folder: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent("reports").path, isDirectory: &isDirectory) && isDirectory.boolValue
            && FileManager.default.fileExists(atPath: folder.appendingPathComponent("queries").path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func files(in folder: URL, ending suffix: String) throws(EngineError) -> [URL] {
        do {
            return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.lastPathComponent.hasSuffix(suffix) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw .badInput("cannot list \(folder.path): \(error.localizedDescription)")
        }
    }

    private static func read(_ file: URL) throws(EngineError) -> String {
        do { return try String(contentsOf: file, encoding: .utf8) } catch {
            throw .badInput("cannot read \(file.path): \(error.localizedDescription)")
        }
    }
}
