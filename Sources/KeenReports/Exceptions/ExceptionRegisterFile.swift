import Foundation

/// The register's state: `exceptions_state.jsonl` in each day folder, beside
/// the ledger checkpoint, listed with its SHA-256 in the day's manifest and
/// written with the day's other files. A header line, then one open
/// exception per line, each the same object as a row of `exceptions.json`.
///
/// The next night starts from the newest earlier day. When that day's
/// state is missing or does not match its manifest, the register is rebuilt
/// from the day's `exceptions.json`, else from the register before it and
/// the day's discrepancy list; every first_seen then still comes from a
/// written day (docs/finance.md).
enum ExceptionRegisterFile {
    static let stateName = "exceptions_state.jsonl"
    static let reportName = "exceptions"
    static let version: Int64 = 1

    static func write(_ register: ExceptionRegister, to file: AtomicFile) throws(EngineError) {
        try file.write(JSONValue.object([
            ("register", .string(reportName)), ("version", .integer(version)),
            ("night", .string(register.night.description)), ("open", .integer(Int64(register.open.count))),
        ]).serialized() + "\n")
        for exception in register.open { try file.write(json(exception).serialized() + "\n") }
    }

    /// An exception as a JSON object with the register's columns.
    static func json(_ exception: RegisteredException) -> JSONValue {
        // As exceptions.json writes the row: numbers as numbers, every other value as the CSV's text.
        var formatter = ValueFormatter(zone: .utc)
        return .object(zip(RegisteredException.columns, exception.row).map { column, value in
            switch value {
            case .null: return (column.name, .null)
            case .integer(let number): return (column.name, .integer(number))
            default:
                var text: [UInt8] = []
                formatter.append(value, column: column, to: &text)
                return (column.name, .string(String(decoding: text, as: UTF8.self)))
            }
        })
    }

    /// An open exception from a row of `exceptions.json` or a state line.
    static func exception(_ row: [String: Any], in path: String) throws(EngineError) -> RegisteredException {
        guard let type = DiscrepancyType(rawValue: try row.text("type", in: path)),
              let subject = ExceptionKey.Subject(kind: try row.text("names", in: path), text: try row.text("subject", in: path)),
              let firstSeen = CivilDate(try row.text("first_seen", in: path)),
              let lastSeen = CivilDate(try row.text("last_seen", in: path)) else {
            throw .badInput("\(path): an exception's type, names, subject or days are not what the register writes")
        }
        return RegisteredException(key: ExceptionKey(type: type, subject: subject), accountID: row.optionalText("account_id"),
                                   userID: row.optionalText("user_id"), transactionID: row.optionalText("transaction_id"),
                                   sessionID: row.optionalText("session_id"), paymentIntentID: row.optionalText("payment_intent_id"),
                                   transactionStatus: row.optionalText("reconciliation_status"), expected: row.optionalText("expected"), actual: row.optionalText("actual"),
                                   detail: row.optionalText("detail") ?? "", firstSeen: firstSeen, lastSeen: lastSeen,
                                   nightsOpen: try row.integer("nights_open", in: path))
    }

    /// The state of `night`, whose bytes must hash to `sha256` (the manifest's).
    static func readState(path: String, sha256: String, night: CivilDate) throws(EngineError) -> ExceptionRegister {
        var header: [String: Any]?
        var open: [RegisteredException] = []
        try JSONDocument.lines(at: path, sha256: sha256) { line throws(EngineError) in
            guard header != nil else {
                guard line["register"] as? String == reportName, try line.integer("version", in: path) == version,
                      line["night"] as? String == night.description else {
                    throw .badInput("\(path): not the exception register of \(night), version \(version)")
                }
                header = line
                return
            }
            open.append(try exception(line, in: path))
        }
        guard let header else { throw .badInput("\(path) has no header") }
        guard open.count == (try header.integer("open", in: path)) else { throw .badInput("\(path): exceptions are missing") }
        return ExceptionRegister(night: night, open: open)
    }

    /// The open rows of a day's `exceptions.json`, whose bytes must hash to `sha256`.
    static func readReport(path: String, sha256: String, night: CivilDate) throws(EngineError) -> ExceptionRegister {
        try JSONDocument.verify(path, sha256: sha256)
        var open: [RegisteredException] = []
        _ = try ReportJSONFile(path: path) { row throws(EngineError) in
            if row.optionalText("status") == "open" { open.append(try exception(row, in: path)) }
        }
        return ExceptionRegister(night: night, open: open)
    }
}
