import Foundation

/// The reconciliation section of a day's page: the summary's verdict and
/// counts, and the first rows of the discrepancy list.
extension DaySections {
    struct Reconciliation {
        let status: String
        let balanced: Bool
        let openingBalance: String
        let closingBalance: String
        let netChange: String
        /// Every discrepancy type with its count, in the summary's order.
        let counts: [(type: String, count: Int64)]
        /// The first rows of the discrepancy list, with the columns.
        let columns: [String]
        let firstRows: [[String]]
        let total: Int64
        /// Payment and credit refunds of the day: kind, count, sum.
        let refunds: [[String]]
        /// Per age bucket: bucket, pending count and sum, disputed count and sum.
        let ageing: [[String]]
        /// The exception register and the closed months, when the night kept them.
        let register: RegisterFigures?
        /// The oldest open exceptions, in `oldestOpenColumns`.
        let oldestOpen: [[String]]

        static let oldestOpenColumns = ["first_seen", "nights_open", "type", "names", "subject", "expected", "actual"]
        static let oldestShown = 10

        /// Reads `reconciliation_summary.json` and the first rows of
        /// `reconciliation_discrepancies.json` when it was written.
        init(summaryPath: String, listPath: String?, registerPath: String?) throws(EngineError) {
            let summary = try JSONDocument.object(at: summaryPath)
            let countsObject = summary["discrepancy_counts"] as? [String: Any] ?? [:]
            let counts = DiscrepancyType.allCases.map { (type: $0.rawValue, count: (countsObject[$0.rawValue] as? NSNumber)?.int64Value ?? 0) }
            var rows: [[String]] = []
            var columns: [String] = Discrepancy.columns.map(\.name)
            if let listPath {
                let file = try ReportJSONFile(path: listPath) { row in
                    guard rows.count < DaySections.discrepancyRowsShown else { return }
                    rows.append(columns.map { (row[$0] as? String) ?? "" })
                }
                columns = (file.members["columns"] as? [String]) ?? columns
            }
            func countAndSum(_ object: Any?) -> [String] {
                let entry = object as? [String: Any]
                return [(entry?["count"] as? NSNumber).map { "\($0.int64Value)" } ?? "", entry?["sum"] as? String ?? ""]
            }
            let refunds = ["payment", "credit"].map { [$0] + countAndSum((summary["refunds"] as? [String: Any])?[$0]) }
            let ageing = ["0_1_days", "2_7_days", "8_30_days", "over_30_days"].map { bucket in
                [bucket] + countAndSum((summary["pending_ageing"] as? [String: Any])?[bucket])
                    + countAndSum((summary["disputed_ageing"] as? [String: Any])?[bucket])
            }
            status = try summary.text("status", in: summaryPath)
            balanced = summary["balanced"] as? Bool ?? false
            openingBalance = try summary.text("opening_balance_total", in: summaryPath)
            closingBalance = try summary.text("closing_balance_total", in: summaryPath)
            netChange = try summary.text("net_change", in: summaryPath)
            self.counts = counts
            self.columns = columns
            firstRows = rows
            total = try summary.integer("discrepancies", in: summaryPath)
            self.refunds = refunds
            self.ageing = ageing
            register = RegisterFigures(summary)
            var oldest: [[String]] = []
            if let registerPath {
                _ = try ReportJSONFile(path: registerPath) { row in
                    guard oldest.count < Self.oldestShown, row["status"] as? String == "open" else { return }
                    oldest.append(Self.oldestOpenColumns.map { column in
                        (row[column] as? String) ?? (row[column] as? NSNumber).map { "\($0.int64Value)" } ?? ""
                    })
                }
            }
            oldestOpen = oldest
        }
    }
}
