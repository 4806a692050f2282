/// A night's check of the months finance closed: each month's rows hashed
/// again as the close hashed them; where the digest moved, the rows that
/// differ (added, removed, changed) as `CLOSED_PERIOD_CHANGED`, by id, with
/// the month's net amount moved. Reads the months closed in the three months
/// before tonight's, and on a full pass every closed month.
struct ClosedMonthCheck {
    struct Month {
        let close: MonthClose
        let added: Int
        let removed: Int
        let changed: Int
        /// The month's sum of amounts now, less at the close.
        let netMoved: ExactDecimal

        var unchanged: Bool { added == 0 && removed == 0 && changed == 0 && netMoved == .zero }

        var json: JSONValue {
            .object([("month", .string(close.month.description)), ("closed_at", .string(close.closedAt)),
                     ("closed_by", .string(close.closedBy)), ("changed", .bool(!unchanged)),
                     ("rows_added", .integer(Int64(added))), ("rows_removed", .integer(Int64(removed))),
                     ("rows_changed", .integer(Int64(changed))), ("net_amount_moved", .string(netMoved.formatted(places: 4)))])
        }
    }

    static let recentMonths = 3

    private(set) var months: [Month] = []
    private(set) var discrepancies: [Discrepancy] = []

    var verified: Set<String> { Set(months.map(\.close.month.description)) }

    /// The closes a night verifies: the months of the last three before its
    /// own, every closed month on a full pass.
    static func due(night: CivilDate, fullPass: Bool, outputDirectory: String) throws(EngineError) -> [MonthClose] {
        let tonight = CivilMonth(containing: night)
        return try MonthClose.all(in: outputDirectory).filter { close in
            close.month < tonight && (fullPass || close.month >= tonight.adding(months: -Self.recentMonths))
        }
    }

    /// Hashes each month of `closes` again in `transaction`.
    init(_ closes: [MonthClose], outputDirectory: String, catalog: ReportCatalog, transaction: ReportTransaction) throws {
        for close in closes {
            let (digest, _) = try MonthLedgerDigest.read(close.window, keepsRows: false, catalog: catalog, transaction: transaction)
            guard digest != close.sha256 else {
                months.append(Month(close: close, added: 0, removed: 0, changed: 0, netMoved: .zero))
                continue
            }
            try compare(close, outputDirectory: outputDirectory, catalog: catalog, transaction: transaction)
        }
    }

    /// Reads the month again keeping each row, against the close's rows file.
    private mutating func compare(_ close: MonthClose, outputDirectory: String, catalog: ReportCatalog,
                                  transaction: ReportTransaction) throws {
        var kept = try close.keptRows(in: outputDirectory)
        let (_, ledger) = try MonthLedgerDigest.read(close.window, keepsRows: true, catalog: catalog, transaction: transaction)
        let netMoved = ledger.amount - close.netAmount
        let moved = netMoved.formatted(places: 4)
        let intro = "\(close.month) was closed at \(close.closedAt) by \(close.closedBy)"
        var found: [Discrepancy] = []
        var added = 0, removed = 0, changed = 0
        for row in ledger.kept {
            if let before = kept.removeValue(forKey: row.id) {
                guard before.digest != row.digest else { continue }
                changed += 1
                found.append(Discrepancy(.closedPeriodChanged, transactionID: row.id, expected: .amount(before.amount),
                                         actual: .amount(row.amount),
                                         detail: "\(intro); this row changed since (amount \(before.amount.formatted(places: 4)) then, \(row.amount.formatted(places: 4)) now); the month's net amount moved by \(moved)"))
            } else {
                added += 1
                found.append(Discrepancy(.closedPeriodChanged, transactionID: row.id, actual: .amount(row.amount),
                                         detail: "\(intro); this row was added to the month since (amount \(row.amount.formatted(places: 4))); the month's net amount moved by \(moved)"))
            }
        }
        for row in kept.values {
            removed += 1
            found.append(Discrepancy(.closedPeriodChanged, transactionID: row.id, expected: .amount(row.amount),
                                     detail: "\(intro); this row is no longer in the month (deleted, or moved out of it; amount \(row.amount.formatted(places: 4)) then); the month's net amount moved by \(moved)"))
        }
        for index in found.indices { found[index].closedMonth = close.month.description }
        months.append(Month(close: close, added: added, removed: removed, changed: changed, netMoved: netMoved))
        discrepancies += found
    }
}
