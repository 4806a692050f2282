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

    /// A row of `reconciliation_ageing`: one bucket of one kind of open item.
    struct Row: QueryRow {
        let disputed: Bool
        let bucket: Bucket

        struct Columns {
            let kind, bucket, transactions, amount: Int
        }

        static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
            Columns(kind: try result.position(of: "kind"), bucket: try result.position(of: "bucket"),
                    transactions: try result.position(of: "transactions"), amount: try result.position(of: "amount"))
        }

        init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
            disputed = row.text(columns.kind) == ReconciliationStatus.disputed.rawValue
            bucket = Bucket(name: row.text(columns.bucket) ?? "", count: try row.integer(columns.transactions) ?? 0,
                            sum: try row.decimal(columns.amount) ?? .zero)
        }
    }

    mutating func add(_ row: Row) {
        if row.disputed { disputed.append(row.bucket) } else { pending.append(row.bucket) }
    }
}
