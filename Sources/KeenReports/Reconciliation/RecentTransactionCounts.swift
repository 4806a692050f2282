/// The one row of `reconciliation_recent_count`: transactions created before
/// a checkpoint's end, counted from the checkpoint's recounted days
/// (`checked`) and from the next checkpoint's (`kept`).
struct RecentTransactionCounts: QueryRow {
    let checked: Int64
    let kept: Int64

    struct Columns {
        let checked, kept: Int
    }

    static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
        Columns(checked: try result.position(of: "checked"), kept: try result.position(of: "kept"))
    }

    init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
        checked = try row.integer(columns.checked) ?? 0
        kept = try row.integer(columns.kept) ?? 0
    }
}
