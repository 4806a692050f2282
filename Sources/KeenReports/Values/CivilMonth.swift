/// A calendar month, `2026-11`: what finance closes.
public struct CivilMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// Parses exactly `YYYY-MM`.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count == 7, let first = CivilDate(text + "-01") else { return nil }
        self.init(containing: first)
    }

    public init(containing date: CivilDate) {
        year = date.year
        month = date.month
    }

    public var firstDay: CivilDate { CivilDate(year: year, month: month, day: 1)! }
    public var lastDay: CivilDate { adding(months: 1).firstDay.adding(days: -1) }

    public func adding(months: Int) -> CivilMonth {
        let index = year * 12 + (month - 1) + months
        return CivilMonth(containing: CivilDate(year: index / 12, month: index % 12 + 1, day: 1)!)
    }

    /// The month's days in `zone`.
    public func window(in zone: ReportTimeZone) throws(EngineError) -> ReportWindow {
        try ReportWindow(days: firstDay, through: lastDay, zone: zone)
    }

    public var description: String { String(firstDay.description.prefix(7)) }

    public static func < (lhs: CivilMonth, rhs: CivilMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}
