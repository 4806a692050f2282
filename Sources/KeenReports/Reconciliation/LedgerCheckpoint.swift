import Foundation

/// `reconciliation_checkpoint.jsonl`: the ledger as a nightly reconciliation
/// read it, summed up to the end of its day (`asOf`), so that the next night
/// reads only what came after. Per account: the last transaction before
/// `asOf` and its stored `balance_after`, and the sums of its purchases and
/// usage; for the whole ledger, the count of transactions created in
/// the `recountedDays` before `asOf`, which the next night counts again to
/// see whether history moved behind the checkpoint. The file is written with
/// the day's other files and listed, with its SHA-256, in the day's
/// manifest; a night trusts it only when the digest still matches.
///
/// Layout: JSON Lines, a header object on the first line, then one account
/// per line, so a ledger of many accounts is written and read a line at a
/// time. Days written before the file was named for what it is hold
/// `reconciliation_checkpoint.json`, the same lines; a night still starts
/// from one of those.
struct LedgerCheckpoint: Sendable {
    struct AccountState: Sendable, Equatable {
        var lastTransaction: String?
        var balance = ExactDecimal.zero
        var purchased = ExactDecimal.zero
        var used = ExactDecimal.zero
    }

    static let fileName = "reconciliation_checkpoint.jsonl"
    /// The name before 0.3 (the same JSON Lines), read but never written.
    static let previousFileName = "reconciliation_checkpoint.json"
    static let version: Int64 = 2
    /// How far back of its end a checkpoint's count reaches. A night counts
    /// these days again, not all history, so that its cost does not grow
    /// with the years behind it; a backdated insert or a delete older than
    /// this waits for the next full pass (at most `--full-every` days).
    static let recountedDays: Int64 = 31

    /// Transactions created before this are summed up here.
    let asOf: Timestamp
    /// The transactions created in [countedFrom, asOf) when the checkpoint was made.
    let countedFrom: Timestamp
    let transactionsCounted: Int64
    /// The day of the last full pass behind this checkpoint (itself when full).
    let lastFullPass: CivilDate
    /// The day folder it came from, for the log.
    var day: CivilDate?
    var accounts: [String: AccountState]

    func write(to file: AtomicFile) throws(EngineError) {
        try file.write(JSONValue.object([
            ("checkpoint", .string("reconciliation_ledger")), ("version", .integer(Self.version)),
            ("as_of", .string(asOf.utcText)), ("as_of_unix_us", .integer(asOf.unixMicroseconds)),
            ("counted_from", .string(countedFrom.utcText)), ("counted_from_unix_us", .integer(countedFrom.unixMicroseconds)),
            ("transactions_counted", .integer(transactionsCounted)),
            ("last_full_pass", .string(lastFullPass.description)), ("accounts", .integer(Int64(accounts.count))),
        ]).serialized() + "\n")
        for (id, state) in accounts.sorted(by: { $0.key < $1.key }) {
            try file.write(JSONValue.object([
                ("account_id", .string(id)), ("last_transaction_id", state.lastTransaction.map(JSONValue.string) ?? .null),
                ("balance", .string(state.balance.formatted(places: 4))), ("purchased", .string(state.purchased.formatted(places: 4))),
                ("used", .string(state.used.formatted(places: 4))),
            ]).serialized() + "\n")
        }
    }

    /// Reads a checkpoint whose bytes must hash to `sha256` (the manifest's).
    static func read(path: String, sha256: String) throws(EngineError) -> LedgerCheckpoint {
        var header: [String: Any]?
        var accounts: [String: AccountState] = [:]
        try JSONDocument.lines(at: path, sha256: sha256) { line throws(EngineError) in
            guard header != nil else {
                guard line["checkpoint"] as? String == "reconciliation_ledger", try line.integer("version", in: path) == version,
                      CivilDate(try line.text("last_full_pass", in: path)) != nil else {
                    throw .badInput("\(path): not a ledger checkpoint of version \(version)")
                }
                header = line
                return
            }
            accounts[try line.text("account_id", in: path)] = AccountState(
                lastTransaction: line.optionalText("last_transaction_id"), balance: try line.decimal("balance", in: path),
                purchased: try line.decimal("purchased", in: path), used: try line.decimal("used", in: path))
        }
        guard let header, let lastFull = CivilDate(try header.text("last_full_pass", in: path)) else {
            throw .badInput("\(path) has no header")
        }
        let asOf = Timestamp(unixMicroseconds: try header.integer("as_of_unix_us", in: path))
        guard accounts.count == (try header.integer("accounts", in: path)) else { throw .badInput("\(path): accounts are missing") }
        return LedgerCheckpoint(asOf: asOf, countedFrom: Timestamp(unixMicroseconds: try header.integer("counted_from_unix_us", in: path)),
                                transactionsCounted: try header.integer("transactions_counted", in: path),
                                lastFullPass: lastFull, accounts: accounts)
    }

    /// Where the count of a checkpoint ending at `asOf` starts.
    static func countedFrom(asOf: Timestamp) -> Timestamp {
        Timestamp(unixMicroseconds: asOf.unixMicroseconds - recountedDays * 86_400_000_000)
    }

    /// The newest checkpoint a nightly run left before `date` in
    /// `directory`, whose end is not after `windowStart`; nil, with why,
    /// when there is none it can trust.
    static func newest(in directory: String, before date: CivilDate,
                       windowStart: Timestamp) -> (checkpoint: LedgerCheckpoint?, problem: String?) {
        let days = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .compactMap(CivilDate.init).filter { $0 < date }.sorted(by: >)
        for day in days {
            let folder = directory + "/\(day)"
            guard let files = DayManifest.ifPresent(folder: folder)?.files,
                  let name = [fileName, previousFileName].first(where: { files[$0] != nil }) else { continue }
            do {
                var checkpoint = try read(path: folder + "/" + name, sha256: files[name]!.sha256)
                guard checkpoint.asOf <= windowStart else { continue }
                checkpoint.day = day
                return (checkpoint, nil)
            } catch {
                return (nil, "the checkpoint of \(day) cannot be used: \(error.message)")
            }
        }
        return (nil, "no earlier day has a checkpoint")
    }
}
