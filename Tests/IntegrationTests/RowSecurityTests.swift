import Foundation
import Testing
@testable import KeenReports

/// Row-level security is on for agent_sessions, credit_accounts and
/// credit_transactions. A role it filters sees fewer rows, or none, with no
/// error; the engine must refuse (77) instead of writing silent zeros. Each
/// role below is made with exactly the statements the README gives.
@Suite(.serialized) struct RowSecurityTests {
    /// The README's reporting role.
    static let reporting = ["CREATE ROLE keen_reports LOGIN BYPASSRLS",
                            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO keen_reports"]
    /// What the README said before: SELECT without BYPASSRLS.
    static let withoutBypass = ["CREATE ROLE keen_reports_old LOGIN",
                                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO keen_reports_old"]
    /// The README's tenant role.
    static let tenant = ["CREATE ROLE tenant_reports LOGIN IN ROLE application_user"]
    /// BYPASSRLS, but no SELECT on one table a report reads.
    static let missingGrant = ["CREATE ROLE keen_reports_partial LOGIN BYPASSRLS",
                               "GRANT SELECT ON ALL TABLES IN SCHEMA public TO keen_reports_partial",
                               "REVOKE SELECT ON tool_executions FROM keen_reports_partial"]

    /// Creates the role and runs its grants in both test databases; returns
    /// `url` with the role as its user.
    static func role(_ statements: [String], for url: String) throws -> String {
        let name = statements[0].split(separator: " ")[2]
        for database in [try TestEnvironment.databaseURL(), try Self.planted] {
            _ = try DatabaseRoles.create(statements, in: database)
        }
        return url.replacingOccurrences(of: "postgresql://postgres@", with: "postgresql://\(name)@")
    }

    static var planted: String { get throws { try ReconciliationTests.environment("KEEN_TEST_PLANTED_URL") } }
    static var stripe: String { get throws { try ReconciliationTests.environment("KEEN_TEST_STRIPE_PLANTED") } }
    static let window = ["--from", "2026-11-10", "--to", "2026-11-20"]

    @Test func theREADMEsRoleGivesTheOraclesNumbers() throws {
        let url = try Self.role(Self.reporting, for: TestEnvironment.databaseURL())
        let directory = try TestEnvironment.temporaryDirectory()
        let result = try runKeenReports(["run", "session_usage", "daily_usage", "--output-dir", directory, "--format", "csv"] + Self.window,
                                        environment: ["KEEN_DATABASE_URL": url])
        #expect(result.status == 0, "\(result.stderr)")
        let sessions = try TestEnvironment.query(
            "SELECT count(*) FROM agent_sessions WHERE start_time >= '2026-11-10Z' AND start_time < '2026-11-20Z'")
        #expect(sessions[0][0].flatMap(Int.init) ?? 0 > 100)
        #expect(try TestEnvironment.csv(directory + "/session_usage.csv").count - 1 == Int(sessions[0][0]!)!)
        // The same bytes as the owner's run.
        let owner = try TestEnvironment.run(["session_usage", "daily_usage"], from: "2026-11-10", to: "2026-11-20")
        for name in ["session_usage.csv", "daily_usage.csv"] {
            #expect(FileManager.default.contents(atPath: directory + "/" + name) == FileManager.default.contents(atPath: owner + "/" + name), "\(name)")
        }

        // Reconciliation as that role finds exactly the planted discrepancies.
        let plantedURL = try Self.role(Self.reporting, for: Self.planted)
        let reconciled = try TestEnvironment.temporaryDirectory()
        let reconcile = try runKeenReports(["reconcile", "--stripe-export", Self.stripe, "--output-dir", reconciled] + Self.window,
                                           environment: ["KEEN_DATABASE_URL": plantedURL])
        #expect(reconcile.status == 1, "\(reconcile.stderr)")
        let rows = Array(try TestEnvironment.csv(reconciled + "/reconciliation_discrepancies.csv").dropFirst())
        #expect(ReconciliationTests.keys(rows) == (try ReconciliationTests.planted()))
    }

    @Test func aRoleThatRowSecurityFiltersGets77NotZeros() throws {
        let url = try Self.role(Self.withoutBypass, for: TestEnvironment.databaseURL())
        let plantedURL = try Self.role(Self.withoutBypass, for: Self.planted)
        let commands: [([String], String)] = [
            (["run", "session_usage"] + Self.window, url),
            (["run", "daily_usage"] + Self.window, url),
            (["reconcile", "--stripe-export", try Self.stripe] + Self.window, plantedURL),
            (["nightly", "--date", "2026-11-15"], plantedURL),
        ]
        for (arguments, url) in commands {
            let directory = try TestEnvironment.temporaryDirectory()
            let result = try runKeenReports(arguments + ["--output-dir", directory], environment: ["KEEN_DATABASE_URL": url])
            #expect(result.status == 77, "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("keen_reports_old") && result.stderr.contains("BYPASSRLS"), "\(result.stderr)")
            #expect(["agent_sessions", "credit_accounts", "credit_transactions"].contains { result.stderr.contains($0) })
            let written = try TestEnvironment.entries(directory).filter { !$0.hasPrefix(".keen-reports-nightly.lock") }
            #expect(written.isEmpty, "\(arguments) wrote \(written)")
        }
    }

    @Test func theTenantRoleReportsItsTenantButCannotReconcile() throws {
        let url = try Self.role(Self.tenant, for: TestEnvironment.databaseURL())
        let tenantID = try #require(try TestEnvironment.query(
            "SELECT user_id::text FROM agent_sessions WHERE start_time >= '2026-11-10Z' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")[0][0])
        let directory = try TestEnvironment.temporaryDirectory()
        let asTenant = try runKeenReports(["run", "session_usage", "--user-id", tenantID, "--output-dir", directory, "--format", "csv"] + Self.window,
                                          environment: ["KEEN_DATABASE_URL": url])
        #expect(asTenant.status == 0, "\(asTenant.stderr)")
        let expected = try TestEnvironment.query("""
            SELECT count(*) FROM agent_sessions WHERE user_id = $1 AND start_time >= '2026-11-10Z' AND start_time < '2026-11-20Z'
            """, [tenantID])
        #expect(try TestEnvironment.csv(directory + "/session_usage.csv").count - 1 == Int(expected[0][0]!)!)
        #expect(Int(expected[0][0]!)! > 0)

        let withoutTenant = try runKeenReports(["run", "session_usage", "--output-dir", directory] + Self.window,
                                               environment: ["KEEN_DATABASE_URL": url])
        #expect(withoutTenant.status == 77, "\(withoutTenant.stderr)")

        let plantedURL = try Self.role(Self.tenant, for: Self.planted)
        let reconcile = try runKeenReports(["reconcile", "--output-dir", directory] + Self.window, environment: ["KEEN_DATABASE_URL": plantedURL])
        #expect(reconcile.status == 77, "\(reconcile.stderr)")
        #expect(reconcile.stderr.contains("row-level security") && reconcile.stderr.contains("tenant_reports"), "\(reconcile.stderr)")
        #expect(!reconcile.stderr.contains("--user-id"), "reconcile has no tenant mode to suggest")
    }

    @Test func aMissingGrantIsNamed() throws {
        let url = try Self.role(Self.missingGrant, for: TestEnvironment.databaseURL())
        let result = try runKeenReports(["run", "cost_per_tool", "--output-dir", try TestEnvironment.temporaryDirectory()] + Self.window,
                                        environment: ["KEEN_DATABASE_URL": url])
        #expect(result.status == 77, "\(result.stderr)")
        #expect(result.stderr.contains("GRANT SELECT ON tool_executions TO keen_reports_partial"), "\(result.stderr)")
    }
}
