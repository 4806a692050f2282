import Foundation

/// `keen-reports exceptions --as-of DATE`: the register of a day nightly
/// wrote, from its files alone: the day's `exceptions.csv` (or `.json`) as
/// written, once it matches the manifest; otherwise rebuilt as the next night
/// would rebuild it (the open exceptions only), and `note` says so.
public struct WrittenRegister {
    public enum Format: String, Sendable {
        case csv, json
    }

    public let night: CivilDate
    /// The register's text in the format asked for.
    public let text: String
    public let open: Int
    public let closed: Int
    /// Why the register was rebuilt; nil when read as written.
    public let note: String?

    public init(asOf date: CivilDate, in directory: String, format: Format) throws(EngineError) {
        night = date
        let folder = directory + "/\(date)"
        guard let manifest = DayManifest.ifPresent(folder: folder) else {
            throw .badInput("\(folder) is not a day nightly wrote (no readable manifest.json)")
        }
        let json = ExceptionRegisterFile.reportName + ".json"
        guard let listedJSON = manifest.files[json] else {
            throw .badInput("\(folder) has no exception register (its reconciliation failed, or it was written before 0.4)")
        }
        let name = ExceptionRegisterFile.reportName + "." + format.rawValue
        do throws(EngineError) {
            let rows = try Self.rows(path: folder + "/" + json, sha256: listedJSON.sha256)
            guard let listed = manifest.files[name] else { throw .badInput("\(folder)/\(name) is not in its manifest") }
            try JSONDocument.verify(folder + "/" + name, sha256: listed.sha256)
            guard let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8) else {
                throw .badInput("\(folder)/\(name) is not readable text")
            }
            self.text = text
            open = rows.filter { $0 == "open" }.count
            closed = rows.count - open
            note = nil
        } catch {
            let history = ExceptionRegisterHistory(before: date.adding(days: 1), in: directory, metricsZone: .utc)
            guard history.register.night == date else { throw error }
            let exceptions = history.register.open
            text = format == .csv ? Self.csv(exceptions) : exceptions.map { ExceptionRegisterFile.json($0).serialized() + "\n" }.joined()
            open = exceptions.count
            closed = 0
            note = "\(error.message); the open exceptions were rebuilt (\(history.source)), the ones closed that night are not shown"
        }
    }

    /// The status of each row of a written `exceptions.json`.
    private static func rows(path: String, sha256: String) throws(EngineError) -> [String] {
        try JSONDocument.verify(path, sha256: sha256)
        var statuses: [String] = []
        _ = try ReportJSONFile(path: path) { row in statuses.append(row["status"] as? String ?? "?") }
        return statuses
    }

    /// Rebuilt rows as `exceptions.csv` writes them: each value formatted as
    /// the CSV writer formats it, the formula guard on text only.
    private static func csv(_ exceptions: [RegisteredException]) -> String {
        var formatter = ValueFormatter(zone: .utc)
        var output: [UInt8] = []
        for (index, column) in RegisteredException.columns.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            CSVField.append(column.name, guardFormula: false, to: &output)
        }
        output.append(UInt8(ascii: "\n"))
        for exception in exceptions {
            for (index, (column, value)) in zip(RegisteredException.columns, exception.row).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                var field: [UInt8] = []
                formatter.append(value, column: column, to: &field)
                field.withUnsafeBytes { CSVField.append($0, guardFormula: !value.isEngineFormatted, to: &output) }
            }
            output.append(UInt8(ascii: "\n"))
        }
        return String(decoding: output, as: UTF8.self)
    }
}
