/// Finance's view of what is still open: purchases whose
/// `reconciliation_status` is `pending` (or NULL, never set), created before
/// the window's end, bucketed by their age at the window's end in whole days.
enum PendingAgeing {
    struct Bucket {
        /// `0_1_days`, `2_7_days`, `8_30_days`, `over_30_days`
        let name: String
        let count: Int64
        let sum: ExactDecimal

        /// A row of `reconciliation_pending_ageing`.
        init(_ row: CopyRow) throws(EngineError) {
            name = row.text(0) ?? ""
            count = try row.integer(1) ?? 0
            sum = try row.decimal(2) ?? .zero
        }
    }
}
