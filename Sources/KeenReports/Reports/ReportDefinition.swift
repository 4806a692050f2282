/// A report as `reports/NAME.json` defines it: what it is, the queries it
/// runs, how their rows become output rows, the files it writes and whether
/// the nightly run includes it.
public struct ReportDefinition: Sendable, Codable {
    public struct Output: Sendable, Codable {
        public let name: String
        public let description: String?
        public let columns: [ReportColumn]
    }

    public let name: String
    /// One line, for `list`.
    public let summary: String
    /// Longer text, for `describe`.
    public let details: String?
    /// Query names, files under `queries/`.
    public let queries: [String]
    /// The Swift aggregation that turns query rows into output rows; absent
    /// when the report's single query already yields the output rows.
    public let aggregation: String?
    public let nightly: Bool
    public let outputs: [Output]
    /// How `run --jobs N` may split the report's scan (reports without an
    /// aggregation only): the window is cut into N ranges of `column` of
    /// `table`, which the query's :from and :to bound and its ORDER BY sorts
    /// on first; N connections on one snapshot read one range each
    /// (`SplitScan`).
    public let split: Split?
    /// The report is about the platform, not about users (`system_health`):
    /// it has no tenant filter, so `--user-id` is a usage error rather than
    /// a silently unfiltered report.
    public let platformWide: Bool?

    enum CodingKeys: String, CodingKey {
        case name, summary, details, queries, aggregation, nightly, outputs, split
        case platformWide = "platform_wide"
    }

    public struct Split: Sendable, Codable {
        public let table: String
        public let column: String
    }
}
