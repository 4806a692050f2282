/// A month's ledger rows as a close covers them (`ledger_month_rows`): the
/// SHA-256 over every row's line in canonical order, the row count and the
/// sum of the amounts; with `keepsRows`, each row's id, amount and line
/// digest, for the close's rows file and for naming what changed.
struct MonthLedgerDigest {
    struct Row: Equatable {
        let id: String
        let amount: ExactDecimal
        /// SHA-256 of the row's line.
        let digest: String
    }

    private(set) var rows: Int64 = 0
    private(set) var amount = ExactDecimal.zero
    private(set) var kept: [Row] = []
    private let hasher = SHA256()
    private let keepsRows: Bool

    /// The columns each line holds, in its order, as the close file lists them.
    static let columns = ["id", "transaction_type", "amount", "balance_after", "user_id", "account_id",
                          "stripe_payment_intent_id", "session_id", "created_at"]
    static let order = "created_at, id"
    static let lineFormat = "the columns' text joined by '|' (NULL as empty; created_at in UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ), each line followed by a newline"

    init(keepsRows: Bool) {
        self.keepsRows = keepsRows
    }

    struct Line: QueryRow {
        let id: String
        let amount: ExactDecimal
        let line: UnsafeRawBufferPointer

        struct Columns { let id, amount, line: Int }

        static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
            Columns(id: try result.position(of: "transaction_id"), amount: try result.position(of: "amount"),
                    line: try result.position(of: "line"))
        }

        init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
            id = try row.uuid(columns.id) ?? ""
            amount = try row.decimal(columns.amount) ?? .zero
            line = row.raw(columns.line)
        }
    }

    /// Reads the month `window` covers in `transaction`.
    static func read(_ window: ReportWindow, keepsRows: Bool, catalog: ReportCatalog,
                     transaction: ReportTransaction) throws -> (digest: String, ledger: MonthLedgerDigest) {
        var ledger = MonthLedgerDigest(keepsRows: keepsRows)
        try transaction.stream(catalog.query(named: "ledger_month_rows"), as: Line.self,
                               more: ["from": window.from.utcText, "to": window.to.utcText]) { ledger.add($0) }
        return (ledger.hasher.finalizeHex(), ledger)
    }

    private static let newline: [UInt8] = [UInt8(ascii: "\n")]

    private mutating func add(_ line: Line) {
        hasher.update(line.line)
        hasher.update(Self.newline)
        rows += 1
        amount += line.amount
        if keepsRows { kept.append(Row(id: line.id, amount: line.amount, digest: SHA256.hexDigest(of: line.line))) }
    }
}
