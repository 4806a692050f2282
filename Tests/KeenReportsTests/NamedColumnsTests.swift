import Testing
@testable import KeenReports

/// Columns found by name: a query's, when its rows are read, and an
/// output's, when a row is written.
@Suite struct NamedColumnsTests {
    @Test func aQuerysColumnsAreFoundByName() throws {
        let result = ResultColumns(names: ["tool_name", "executions", "total_cost"])
        #expect(try result.position(of: "total_cost") == 2)
        #expect(try result.position(of: "tool_name") == 0)
        #expect {
            try result.position(of: "failures")
        } throws: { error in
            "\(error)" == "no column named failures (it returns tool_name, executions, total_cost)"
        }
    }

    @Test func aReportWhoseRowsAreTheQuerysNeedsTheSameColumnsInOrder() throws {
        let result = ResultColumns(names: ["user_id", "date"])
        try result.require(exactly: ["user_id", "date"], for: "usage_export")
        #expect(throws: EngineError.self) { try result.require(exactly: ["date", "user_id"], for: "usage_export") }
        #expect(throws: EngineError.self) { try result.require(exactly: ["user_id"], for: "usage_export") }
    }

    @Test func anOutputRowIsWrittenByName() throws {
        let columns = [ReportColumn(name: "tool", type: .text, meaning: ""), ReportColumn(name: "calls", type: .integer, meaning: "")]
        #expect(try columns.values(of: ["tool": .text("grep"), "calls": .integer(3)]) == [.text("grep"), .integer(3)])
        #expect(try columns.values(of: ["calls": .integer(3), "tool": .text("grep")]) == [.text("grep"), .integer(3)],
                "in any order")
        #expect {
            try columns.values(of: ["tool": .text("grep")])
        } throws: { "\($0)" == "a row without column calls" }
        #expect {
            try columns.values(of: ["tool": .text("grep"), "calls": .integer(3), "cost": .null])
        } throws: { "\($0)" == "a row with column cost, which the output does not have" }
    }
}
