import Foundation

/// One payment of a Stripe dashboard payments export.
public struct StripePayment: Sendable, Equatable {
    public let id: String
    public let created: Timestamp
    public let amount: ExactDecimal
    public let amountRefunded: ExactDecimal
    public let currency: String
    public let status: String
    public let customerID: String
    /// The line of the export the payment's record starts on.
    public let line: Int

    /// Money was taken, even if some of it went back (REPORTS.md's
    /// "collected"; every rule there that says "paid" means this). Stripe's
    /// dashboard shows `Paid`, its API says `succeeded`.
    public var isCollected: Bool { Self.collectedStatuses.contains(status.lowercased()) }
    static let collectedStatuses: Set<String> = ["paid", "succeeded", "refunded", "partially refunded"]
    public var isUSD: Bool { currency.lowercased() == "usd" }
}

/// Reads a payments export from Stripe's dashboard with libcsv: a header
/// row, then one payment per record; quoted fields, embedded commas and
/// quotes, a UTF-8 byte-order mark, CRLF line ends and extra columns in any
/// order are all fine. Anything malformed is exit status 65 naming the file,
/// the line and the column.
public enum StripeExport {
    static let idColumn = "id"
    static let createdColumns = ["Created date (UTC)", "Created (UTC)"]
    static let amountColumn = "Amount"
    static let refundedColumn = "Amount Refunded"
    static let currencyColumn = "Currency"
    static let statusColumn = "Status"
    static let customerColumn = "Customer ID"

    public static func read(path: String) throws(EngineError) -> [StripePayment] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badInput("\(path): cannot read the Stripe export (missing or not readable)")
        }
        return try parse(data, name: path)
    }

    public static func parse(_ data: Data, name: String) throws(EngineError) -> [StripePayment] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .badInput("\(name): not UTF-8 text") }
        let records: [(line: Int, fields: [String])]
        do {
            records = try LibCSVParser.numberedRecords(of: text)
        } catch {
            throw .badInput("\(name): \(error.message)")
        }
        guard let header = records.first?.fields else { throw .badInput("\(name): empty file, expected a header row") }
        func column(_ names: [String]) throws(EngineError) -> Int {
            guard let index = header.firstIndex(where: { names.contains($0.trimmingWhitespaceString()) }) else {
                throw .badInput("\(name): line 1: missing column '\(names[0])'")
            }
            return index
        }
        let id = try column([idColumn])
        let created = try column(createdColumns)
        let amount = try column([amountColumn])
        let refunded = try column([refundedColumn])
        let currency = try column([currencyColumn])
        let status = try column([statusColumn])
        let customer = try column([customerColumn])

        var payments: [StripePayment] = []
        for (line, record) in records.dropFirst() {
            if record.count == 1 && record[0].isEmpty { continue }
            guard record.count == header.count else {
                throw .badInput("\(name): line \(line): \(record.count) fields where the header has \(header.count)")
            }
            func field(_ column: Int) -> String { record[column].trimmingWhitespaceString() }
            func amountField(_ column: Int) throws(EngineError) -> ExactDecimal {
                guard let value = parseAmount(field(column)) else {
                    throw .badInput("\(name): line \(line), column '\(header[column])': '\(field(column).prefix(40))' is not an amount like 1,250.00")
                }
                return value
            }
            guard !field(id).isEmpty else { throw .badInput("\(name): line \(line), column 'id': empty") }
            guard let createdAt = parseCreated(field(created)) else {
                throw .badInput("\(name): line \(line), column '\(header[created])': '\(field(created).prefix(40))' is not a date like 2026-11-26 13:05 or 2026-11-26 13:05:09")
            }
            payments.append(StripePayment(id: field(id), created: createdAt, amount: try amountField(amount),
                                          amountRefunded: try amountField(refunded), currency: field(currency),
                                          status: field(status), customerID: field(customer), line: line))
        }
        return payments
    }

    /// `1,250.00`, `50.00`, `50`, `-3.5`: digits with optional thousands
    /// commas (in groups of three) and an optional fraction.
    static func parseAmount(_ text: String) -> ExactDecimal? {
        var digits = Substring(text)
        var sign = ""
        if digits.first == "-" { sign = "-"; digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard !whole.isEmpty, groups.enumerated().allSatisfy({ index, group in
            !group.isEmpty && group.allSatisfy { $0.isASCII && $0.isNumber } && (index == 0 ? group.count <= (groups.count > 1 ? 3 : 30) : group.count == 3)
        }) else { return nil }
        if parts.count == 2 { guard !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil } }
        return ExactDecimal(sign + groups.joined() + (parts.count == 2 ? "." + parts[1] : ""))
    }

    /// `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS`, in UTC.
    static func parseCreated(_ text: String) -> Timestamp? {
        let full = text.count == 16 ? text + ":00" : text
        guard full.count == 19 else { return nil }
        return RFC3339.parse(full + "Z", zone: .utc)
    }
}
