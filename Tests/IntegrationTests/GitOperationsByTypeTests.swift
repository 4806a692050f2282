import Testing
@testable import KeenReports

/// The report made of a query file and a definition alone.
@Suite struct GitOperationsByTypeTests {
    @Test(arguments: ReportWindowCase.all)
    func matchesTheSpecInSQL(window: ReportWindowCase) throws {
        let directory = try TestEnvironment.run(["git_operations_by_type"], from: window.from, to: window.to, tz: window.tz)
        let expected = try TestEnvironment.query("""
            SELECT operation_type::text, count(*)::text, sum(success::int)::text, sum((NOT success)::int)::text,
                   coalesce(sum(lines_added), 0)::text, coalesce(sum(lines_deleted), 0)::text, count(DISTINCT session_id)::text
            FROM git_operations WHERE operation_timestamp >= $1::timestamptz AND operation_timestamp < $2::timestamptz
            GROUP BY 1 ORDER BY operation_type::text COLLATE "C"
            """, [window.fromUTC, window.toUTC])
        expectSameRows(Array(try TestEnvironment.csv(directory + "/git_operations_by_type.csv").dropFirst()), expected,
                       "git_operations_by_type \(window.tz)")
    }
}
