import Foundation

/// `closes/2026-11.json`: a month finance closed, as the ledger was then
/// (docs/finance.md). The digest covers the month's rows in canonical
/// order; the rows file beside it (`2026-11.rows`, one `id TAB amount TAB
/// line digest` per row, listed here with its SHA-256) names the rows that
/// differ when the digest no longer matches.
struct MonthClose {
    let month: CivilMonth
    let zone: ReportTimeZone
    let window: ReportWindow
    let closedAt: String
    let closedBy: String
    let rows: Int64
    let sha256: String
    /// The sum of the month's amounts.
    let netAmount: ExactDecimal
    let rowsFileSHA256: String

    static let folder = "closes"
    static let version: Int64 = 1

    static func path(of month: CivilMonth, in directory: String) -> String { "\(directory)/\(folder)/\(month).json" }
    static func rowsPath(of month: CivilMonth, in directory: String) -> String { "\(directory)/\(folder)/\(month).rows" }

    /// The close file's object; `rollforward` and `exceptions` as the close found them.
    func json(rollforward: JSONValue, acceptedOpen: String?, register: ExceptionRegister?,
              openExceptions: [RegisteredException]) -> JSONValue {
        var formatter = TimestampFormatter(zone: zone)
        return .object([
            ("close", .string(month.description)), ("version", .integer(Self.version)),
            ("month", .string(month.description)), ("tz", .string(zone.identifier)),
            ("from", .string(formatter.format(window.from))), ("to", .string(formatter.format(window.to))),
            ("from_unix_us", .integer(window.from.unixMicroseconds)), ("to_unix_us", .integer(window.to.unixMicroseconds)),
            ("closed_at", .string(closedAt)), ("closed_by", .string(closedBy)), ("engine_version", .string(EngineVersion.current)),
            ("rollforward", rollforward),
            ("row_count", .integer(rows)), ("net_amount", .string(netAmount.formatted(places: 4))),
            ("sha256", .string(sha256)),
            ("digest", .object([("algorithm", .string("sha256")),
                                ("columns", .array(MonthLedgerDigest.columns.map(JSONValue.string))),
                                ("not_covered", .array([.string("reconciliation_status")])),
                                ("order", .string(MonthLedgerDigest.order)), ("line", .string(MonthLedgerDigest.lineFormat))])),
            ("rows_file", .object([("name", .string("\(month).rows")), ("sha256", .string(rowsFileSHA256))])),
            ("open_exceptions", .object([
                ("register_of", register.map { .string($0.night.description) } ?? .null),
                ("accepted", acceptedOpen.map(JSONValue.string) ?? .null),
                ("exceptions", .array(openExceptions.map(ExceptionRegisterFile.json))),
            ])),
        ])
    }

    init(month: CivilMonth, zone: ReportTimeZone, window: ReportWindow, closedAt: String, closedBy: String, rows: Int64,
         sha256: String, netAmount: ExactDecimal, rowsFileSHA256: String) {
        self.month = month
        self.zone = zone
        self.window = window
        self.closedAt = closedAt
        self.closedBy = closedBy
        self.rows = rows
        self.sha256 = sha256
        self.netAmount = netAmount
        self.rowsFileSHA256 = rowsFileSHA256
    }

    init(path: String) throws(EngineError) {
        let members = try JSONDocument.object(at: path)
        guard members["version"] as? NSNumber == NSNumber(value: Self.version),
              let month = CivilMonth(try members.text("month", in: path)) else {
            throw .badInput("\(path): not a month close of version \(Self.version)")
        }
        self.month = month
        zone = try ReportTimeZone.parse(try members.text("tz", in: path))
        window = try ReportWindow(from: Timestamp(unixMicroseconds: try members.integer("from_unix_us", in: path)),
                                  to: Timestamp(unixMicroseconds: try members.integer("to_unix_us", in: path)), zone: zone)
        closedAt = try members.text("closed_at", in: path)
        closedBy = try members.text("closed_by", in: path)
        rows = try members.integer("row_count", in: path)
        sha256 = try members.text("sha256", in: path)
        netAmount = try members.decimal("net_amount", in: path)
        guard let rowsFile = members["rows_file"] as? [String: Any] else { throw .badInput("\(path): \"rows_file\" is missing") }
        rowsFileSHA256 = try rowsFile.text("sha256", in: path)
    }

    /// Every month closed in `directory`'s `closes/`, oldest first; a file
    /// that does not read is an error naming it.
    static func all(in directory: String) throws(EngineError) -> [MonthClose] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + folder)) ?? []
        var closes: [MonthClose] = []
        for name in names.sorted() where name.hasSuffix(".json") && CivilMonth(name.dropLast(5)) != nil {
            closes.append(try MonthClose(path: directory + "/" + folder + "/" + name))
        }
        return closes
    }

    /// The rows the close kept, by id, checked against the digest this file lists.
    func keptRows(in directory: String) throws(EngineError) -> [String: MonthLedgerDigest.Row] {
        let path = Self.rowsPath(of: month, in: directory)
        guard try SHA256.hexDigest(ofFile: path) == rowsFileSHA256,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .badInput("\(path) does not match the SHA-256 of \(Self.path(of: month, in: directory)) (damaged or changed)")
        }
        var rows: [String: MonthLedgerDigest.Row] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count == 3, let amount = ExactDecimal(fields[1]) else { throw .badInput("\(path): a line is not id, amount, digest") }
            rows[String(fields[0])] = MonthLedgerDigest.Row(id: String(fields[0]), amount: amount, digest: String(fields[2]))
        }
        return rows
    }
}
