/// The day's headline figures as people read them, on the page and in the
/// email: thousands separated, money to the cent, each with its change from
/// the day before when that day's manifest is there (`1,204 sessions
/// started (+8.1%)`). The tables keep the exact text of the files; only
/// the headline rounds.
struct HeadlineFigures {
    struct Figure {
        let value: String
        let label: String
        /// `+8.1%`, `-3.0%`, `±0%`; nil without a previous day (or from zero).
        let change: String?

        var text: String { "\(value) \(label)" + (change.map { " (\($0))" } ?? "") }
    }

    let figures: [Figure]

    /// `headline` and `previous` are manifests' `headline` objects.
    init(_ headline: [(key: String, value: JSONValue)], previous: [String: JSONValue]) {
        let values = Dictionary(headline.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        func number(_ value: JSONValue?) -> ExactDecimal? {
            switch value {
            case .integer(let integer)?: ExactDecimal(integer)
            case .string(let text)?: ExactDecimal(text)
            default: nil
            }
        }
        var figures: [Figure] = []
        func add(_ key: String, _ one: String, _ many: String, money: Bool = false) {
            guard let value = number(values[key]) else { return }
            let shown = money ? Self.grouped(value.rounded(toScale: 2), places: 2) + " USD" : Self.grouped(value, places: 0)
            figures.append(Figure(value: shown, label: money || value != ExactDecimal(1) ? many : one,
                                  change: number(previous[key]).flatMap { Self.change(from: $0, to: value) }))
        }
        add("sessions_started", "session started", "sessions started")
        add("sessions_completed", "session completed", "sessions completed")
        add("total_cost", "total session cost", "total session cost", money: true)
        add("total_tokens", "token", "tokens")
        add("tool_executions", "tool execution", "tool executions")
        add("discrepancies", "discrepancy", "discrepancies")
        add("open_exceptions", "open exception", "open exceptions")
        self.figures = figures
    }

    /// `1,234,567` or `1,234.57`: the integer part in groups of three.
    static func grouped(_ value: ExactDecimal, places: Int) -> String {
        let text = value.formatted(places: places)
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        var integer = String(parts[0])
        var groups: [String] = []
        while integer.count > 3 {
            groups.insert(String(integer.suffix(3)), at: 0)
            integer.removeLast(3)
        }
        groups.insert(integer, at: 0)
        return (negative ? "-" : "") + groups.joined(separator: ",") + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// The change in percent to one place, exact before it is rounded.
    static func change(from old: ExactDecimal, to new: ExactDecimal) -> String? {
        guard old != .zero else { return nil }
        let percent = ((new - old) * ExactDecimal(100)).divided(by: old, scale: 1)
        if percent == .zero { return "±0%" }
        return (percent.isNegative ? "" : "+") + grouped(percent, places: 1) + "%"
    }
}
