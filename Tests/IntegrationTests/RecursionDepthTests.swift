import Foundation
import Testing
@testable import KeenReports

@Suite struct RecursionDepthTests {
    /// The trees in SQL, with depth counted by the recursive query itself.
    static func trees(_ window: ReportWindowCase, userID: String? = nil) -> String {
        """
        WITH RECURSIVE tree AS (
            SELECT id AS root_id, id, 0 AS depth FROM agent_sessions
            WHERE parent_session_id IS NULL AND start_time >= $1::timestamptz AND start_time < $2::timestamptz
              AND ($3::uuid IS NULL OR user_id = $3::uuid)
            UNION ALL
            SELECT tree.root_id, s.id, tree.depth + 1 FROM agent_sessions s JOIN tree ON s.parent_session_id = tree.id
        ),
        t AS (SELECT tree.root_id, tree.depth, s.* FROM tree JOIN agent_sessions s ON s.id = tree.id),
        tree_depth AS (SELECT root_id, max(depth) AS deepest FROM t GROUP BY root_id)
        """
    }

    static func expectedDepths(_ window: ReportWindowCase, userID: String? = nil) throws -> [[String?]] {
        try TestEnvironment.query(trees(window) + """
            SELECT depth::text, count(*)::text,
                   (SELECT count(*) FROM tree_depth WHERE deepest >= t.depth)::text,
                   round(sum(total_cost), 6)::text, round(avg(total_cost), 6)::text, sum(tokens_used)::text
            FROM t GROUP BY depth ORDER BY depth
            """, [window.fromUTC, window.toUTC, userID])
    }

    static func expectedTrees(_ window: ReportWindowCase, userID: String? = nil) throws -> [[String?]] {
        try TestEnvironment.query(trees(window) + """
            SELECT t.root_id::text, \(TestEnvironment.guarded("r.session_id::text")), r.user_id::text, count(*)::text,
                   max(t.depth)::text, round(sum(t.total_cost), 6)::text, sum(t.tokens_used)::text,
                   count(*) FILTER (WHERE t.execution_status = 'failed')::text, r.execution_status::text
            FROM t JOIN agent_sessions r ON r.id = t.root_id
            GROUP BY t.root_id, r.session_id, r.user_id, r.execution_status
            ORDER BY sum(t.total_cost) DESC, t.root_id
            """, [window.fromUTC, window.toUTC, userID])
    }

    @Test(arguments: ReportWindowCase.all)
    func matchesTheSpecInSQL(window: ReportWindowCase) throws {
        let directory = try TestEnvironment.run(["recursion_depth"], from: window.from, to: window.to, tz: window.tz)
        let depths = try TestEnvironment.csv(directory + "/recursion_depth.csv")
        #expect(depths.first == ["depth", "sessions", "trees_reaching", "total_cost", "avg_cost", "total_tokens"])
        let expectedDepths = try Self.expectedDepths(window)
        #expect(expectedDepths.count >= 4, "trees several levels deep")
        expectSameRows(Array(depths.dropFirst()), expectedDepths, "recursion_depth \(window.tz)")
        let trees = try TestEnvironment.csv(directory + "/agent_trees.csv")
        expectSameRows(Array(trees.dropFirst()), try Self.expectedTrees(window), "agent_trees \(window.tz)")
    }

    @Test func countsStoredDepthsThatDisagreeWithTheLinks() throws {
        let window = ReportWindowCase.all[0]
        let expected = try TestEnvironment.query(Self.trees(window) + "SELECT count(*)::text FROM t WHERE session_depth <> depth",
                                                 [window.fromUTC, window.toUTC, nil])[0][0]
        #expect(Int(expected!)! > 0, "the generated data has wrong stored depths")
        let directory = try TestEnvironment.run(["recursion_depth"], from: window.from, to: window.to)
        let json = try TestEnvironment.json(directory + "/recursion_depth.json")
        #expect(json["depth_mismatches"] as? Int == Int(expected!))
    }

    @Test func includesDescendantsThatStartedAfterTheWindow() throws {
        let window = ReportWindowCase(from: "2026-11-05", to: "2026-11-06", tz: "UTC",
                                      fromUTC: "2026-11-05T00:00:00Z", toUTC: "2026-11-06T00:00:00Z")
        let late = try TestEnvironment.query(Self.trees(window) + "SELECT count(*)::text FROM t WHERE start_time >= $2::timestamptz",
                                             [window.fromUTC, window.toUTC, nil])[0][0]
        #expect(Int(late!)! > 0, "some descendants start after the window")
        let directory = try TestEnvironment.run(["recursion_depth"], from: window.from, to: window.to)
        expectSameRows(Array(try TestEnvironment.csv(directory + "/agent_trees.csv").dropFirst()),
                       try Self.expectedTrees(window), "agent_trees with late descendants")
    }

    @Test func restrictsToOneUsersTrees() throws {
        let window = ReportWindowCase.all[0]
        let user = try #require(try TestEnvironment.query(
            "SELECT user_id::text FROM agent_sessions WHERE parent_session_id IS NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")[0][0])
        let directory = try TestEnvironment.run(["recursion_depth"], from: window.from, to: window.to, userID: user)
        let trees = try TestEnvironment.csv(directory + "/agent_trees.csv").dropFirst()
        #expect(!trees.isEmpty && trees.allSatisfy { $0[2] == user })
        expectSameRows(Array(trees), try Self.expectedTrees(window, userID: user), "agent_trees for one user")
        expectSameRows(Array(try TestEnvironment.csv(directory + "/recursion_depth.csv").dropFirst()),
                       try Self.expectedDepths(window, userID: user), "recursion_depth for one user")
    }
}
