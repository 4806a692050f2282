/// Finance's view of what is still open, by age at the window's end in whole
/// days: purchases whose `reconciliation_status` is `pending` (or NULL, never
/// set), and transactions it disputed, each created before the window's end.
struct OpenItemsAgeing {
    struct Bucket {
        /// `0_1_days`, `2_7_days`, `8_30_days`, `over_30_days`
        let name: String
        let count: Int64
        let sum: ExactDecimal
    }

    private(set) var pending: [Bucket] = []
    private(set) var disputed: [Bucket] = []

    /// A row of `reconciliation_ageing`: kind, bucket, count, sum.
    mutating func add(_ row: CopyRow) throws(EngineError) {
        let bucket = Bucket(name: row.text(1) ?? "", count: try row.integer(2) ?? 0, sum: try row.decimal(3) ?? .zero)
        if row.text(0) == "disputed" { disputed.append(bucket) } else { pending.append(bucket) }
    }
}
