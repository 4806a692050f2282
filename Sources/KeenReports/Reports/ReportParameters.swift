/// The values a run's queries can read: the window, its time zone and the
/// tenant filter. Each reaches PostgreSQL as text the engine renders from its
/// own typed value (a `Timestamp`, a canonical UUID, a zone the server knows,
/// a block number), quoted by libpq (see `ReportTransaction`), or as a bound
/// parameter of `set_config`; never as text a user typed.
public struct ReportParameters: Sendable {
    public let window: ReportWindow
    /// Lowercase canonical UUID of the one user to report on, or nil for all.
    public let userID: String?

    /// The parameter names a query may declare, with their types.
    public static let declarable: [String: QueryParameter.ValueType] = [
        "from": .timestamptz, "to": .timestamptz, "tz": .text, "user_id": .uuid,
        // Where an incremental reconciliation starts reading the ledger (its
        // checkpoint's end), and where the counts of its recounted days start.
        "since": .timestamptz, "checked_from": .timestamptz, "kept_from": .timestamptz,
        // The payment intents of the Stripe export's payments created in the window.
        "intents": .textArray,
        // What a night checks again of the exceptions earlier nights found.
        "accounts": .uuidArray, "sessions": .uuidArray, "transactions": .uuidArray,
        // The zone the platform counts system_metrics' "today" in (--metrics-tz).
        "metrics_tz": .text,
        // websocket_connections' second reading: the duration ranges its first found.
        "client_types": .textArray, "shortest": .intervalArray, "longest": .intervalArray,
        // A scan read in two halves of its table's blocks (`blockCut`), and the sample that places the cut.
        "blocks_from": .tid, "blocks_to": .tid, "sample_percent": .numeric,
    ]

    /// The declarable parameters no option sets, with who sets them.
    static let setByTheEngine = [
        "since": "set by nightly from its checkpoint; empty otherwise",
        "checked_from": "set by nightly from its checkpoint", "kept_from": "set by nightly from its checkpoint",
        "intents": "set by reconcile from the Stripe export, and by nightly from the open exceptions",
        "accounts": "set by nightly from the open exceptions", "sessions": "set by nightly from the open exceptions",
        "transactions": "set by nightly from the open exceptions",
        "metrics_tz": "--metrics-tz of reconcile and nightly",
        "client_types": "set by websocket_connections from its first reading",
        "shortest": "set by websocket_connections from its first reading",
        "longest": "set by websocket_connections from its first reading",
        "blocks_from": "set when the scan is read in two halves; all blocks otherwise",
        "blocks_to": "set when the scan is read in two halves; all blocks otherwise",
        "sample_percent": "set from the planner's estimate of the window's rows",
    ]

    public init(window: ReportWindow, userID: String? = nil) throws(EngineError) {
        self.window = window
        self.userID = try userID.map(Self.userID)
    }

    /// A user id as the engine renders it (the canonical lowercase form), or
    /// an error that says the text is not one.
    public static func userID(_ text: String) throws(EngineError) -> String {
        guard let canonical = canonicalUUID(text) else {
            throw .invalid(.userID, "'\(text.prefix(64))' is not a UUID (like 0b7c2a54-7f1e-4c3a-9d2b-5e6f7a8b9c0d)")
        }
        return canonical
    }

    /// Setting name → value for the run's transaction: the report time zone
    /// (which the server checks it knows), and the tenant that the seed's
    /// row-level security policy admits when the engine connects as
    /// application_user.
    var transactionSettings: [(String, String)] {
        var settings = [("TimeZone", window.zone.identifier)]
        if let userID { settings.append(("app.current_user_id", userID)) }
        return settings
    }

    /// Parameter name → its text as the engine renders it from its typed
    /// value; nil for an optional parameter left empty (the query sees NULL).
    var values: [String: String?] {
        ["from": window.from.utcText, "to": window.to.utcText, "tz": window.zone.identifier, "user_id": userID]
    }

    /// The parameters as written into every JSON file.
    public var json: JSONValue {
        var formatter = TimestampFormatter(zone: window.zone)
        return .object([
            ("from", .string(formatter.format(window.from))),
            ("to", .string(formatter.format(window.to))),
            ("tz", .string(window.zone.identifier)),
            ("user_id", userID.map(JSONValue.string) ?? .null),
        ])
    }

    /// `8-4-4-4-12` hex digits, any case, lowercased; nil otherwise.
    static func canonicalUUID(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return nil }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return nil }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                        || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20) else { return nil }
            }
        }
        return text.lowercased()
    }
}
