import Foundation

/// A night's register and closed months as people read them, on the page, in
/// the email and in the manifest: new tonight, still open, closed tonight,
/// open by age, and every closed month whose ledger changed. Read from the
/// summary's `exceptions` and `closed_periods` (or the manifest's `finance`,
/// which is the same object).
struct RegisterFigures {
    struct ChangedMonth {
        let month: String
        let closedAt: String
        let closedBy: String
        let added: Int64
        let removed: Int64
        let changed: Int64
        let netMoved: String

        /// `2026-11, closed at … by finance: 1 row added, 1 removed, 1 changed since; its net amount moved by 12.0000 USD`
        var sentence: String {
            "\(month), closed at \(closedAt) by \(closedBy): \(added) row\(added == 1 ? "" : "s") added, \(removed) removed, \(changed) changed since; its net amount moved by \(netMoved) USD"
        }
    }

    let newTonight: Int64
    let stillOpen: Int64
    let closedTonight: Int64
    let closedNoLongerReported: Int64
    let closedReconciled: Int64
    /// `0_1_days` … `over_30_days`, with the open exceptions' counts.
    let ageing: [(bucket: String, count: Int64)]
    let changedMonths: [ChangedMonth]

    static let buckets = ["0_1_days", "2_7_days", "8_30_days", "over_30_days"]
    static let bucketLabels = ["0_1_days": "0–1 days", "2_7_days": "2–7 days", "8_30_days": "8–30 days", "over_30_days": "over 30 days"]

    /// From a summary (`exceptions`, `closed_periods`) or a manifest's
    /// `finance` (`exceptions`, `closed_periods_changed`); nil without a register.
    init?(_ object: [String: Any]) {
        guard let exceptions = object["exceptions"] as? [String: Any] else { return nil }
        func number(_ key: String, in object: [String: Any]) -> Int64 { (object[key] as? NSNumber)?.int64Value ?? 0 }
        newTonight = number("new_tonight", in: exceptions)
        stillOpen = number("still_open", in: exceptions)
        closedTonight = number("closed_tonight", in: exceptions)
        closedNoLongerReported = number("closed_no_longer_reported", in: exceptions)
        closedReconciled = number("closed_reconciled", in: exceptions)
        let ageing = exceptions["ageing"] as? [String: Any] ?? [:]
        self.ageing = Self.buckets.map { ($0, number($0, in: ageing)) }
        let months = (object["closed_periods_changed"] ?? object["closed_periods"]) as? [[String: Any]] ?? []
        changedMonths = months.filter { $0["changed"] as? Bool == true }.map { month in
            ChangedMonth(month: month.optionalText("month") ?? "?", closedAt: month.optionalText("closed_at") ?? "?",
                         closedBy: month.optionalText("closed_by") ?? "?", added: number("rows_added", in: month),
                         removed: number("rows_removed", in: month), changed: number("rows_changed", in: month),
                         netMoved: month.optionalText("net_amount_moved") ?? "?")
        }
    }

    var open: Int64 { newTonight + stillOpen }

    /// The manifest's `finance` member.
    var json: JSONValue {
        .object([
            ("exceptions", .object([
                ("new_tonight", .integer(newTonight)), ("still_open", .integer(stillOpen)), ("closed_tonight", .integer(closedTonight)),
                ("closed_no_longer_reported", .integer(closedNoLongerReported)), ("closed_reconciled", .integer(closedReconciled)),
                ("ageing", .object(ageing.map { ($0.bucket, .integer($0.count)) })),
            ])),
            ("closed_periods_changed", .array(changedMonths.map { month in
                .object([("month", .string(month.month)), ("closed_at", .string(month.closedAt)), ("closed_by", .string(month.closedBy)),
                         ("changed", .bool(true)), ("rows_added", .integer(month.added)), ("rows_removed", .integer(month.removed)),
                         ("rows_changed", .integer(month.changed)), ("net_amount_moved", .string(month.netMoved))])
            })),
        ])
    }

    /// `A CLOSED MONTH CHANGED: …`, one per month; empty when none did.
    var closedMonthAlerts: [String] {
        changedMonths.map { "A CLOSED MONTH CHANGED: \($0.sentence). Finance signed this month off; its ledger is no longer what was signed." }
    }

    /// The register in two lines, for the email's text part.
    var lines: [String] {
        ["Exceptions: \(newTonight) new tonight, \(stillOpen) still open, \(closedTonight) closed tonight (\(closedNoLongerReported) no longer reported, \(closedReconciled) reconciled)",
         "Open exceptions by age (since first seen): " + ageing.map { "\(Self.bucketLabels[$0.bucket] ?? $0.bucket) \($0.count)" }.joined(separator: ", ")]
    }
}
