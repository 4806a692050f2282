import Testing

/// The windows every report is checked over: a week in UTC, three days
/// around the 2026-11-01 DST change in New York (whose first day has 25
/// hours), and a window with odd edges in Berlin. `fromUTC`/`toUTC` are the
/// same instants, written for the independent SQL.
struct ReportWindowCase: Sendable, CustomTestStringConvertible {
    let from: String
    let to: String
    let tz: String
    let fromUTC: String
    let toUTC: String

    var testDescription: String { "\(from)..\(to) \(tz)" }

    static let all = [
        ReportWindowCase(from: "2026-11-01", to: "2026-11-08", tz: "UTC",
                         fromUTC: "2026-11-01T00:00:00Z", toUTC: "2026-11-08T00:00:00Z"),
        ReportWindowCase(from: "2026-10-31", to: "2026-11-03", tz: "America/New_York",
                         fromUTC: "2026-10-31T04:00:00Z", toUTC: "2026-11-03T05:00:00Z"),
        ReportWindowCase(from: "2026-11-02T13:30:00+01:00", to: "2026-11-04T18:00:00Z", tz: "Europe/Berlin",
                         fromUTC: "2026-11-02T12:30:00Z", toUTC: "2026-11-04T18:00:00Z"),
    ]
}
