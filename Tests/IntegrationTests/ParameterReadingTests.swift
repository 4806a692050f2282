import Foundation
import Testing
@testable import KeenReports

/// Both ways of reading parameters give the same files: the planner-visible
/// one (temporary functions) and the fallback for roles that may not create
/// temporary objects or run on a standby.
@Suite struct ParameterReadingTests {
    @Test func aRoleWithoutTempPrivilegeGetsTheSameReports() throws {
        _ = try TestEnvironment.query("""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'keen_no_temp') THEN
                    CREATE ROLE keen_no_temp LOGIN BYPASSRLS IN ROLE pg_read_all_data;
                END IF;
            END $$
            """)
        let url = try TestEnvironment.databaseURL().replacingOccurrences(of: "postgresql://postgres@", with: "postgresql://keen_no_temp@")
        let restricted = try PostgresConnection(ConnectionSettings(conninfo: url))
        let owner = try PostgresConnection(TestEnvironment.settings())
        #expect(ParameterReading.prepare(restricted) == .initPlan, "keen_test revokes TEMPORARY from PUBLIC (scripts/test)")
        #expect(ParameterReading.prepare(owner) == .folded)

        let catalog = try TestEnvironment.catalog()
        let window = ReportWindowCase.all[1]
        let zone = try #require(ReportTimeZone(identifier: window.tz))
        let parameters = try ReportParameters(window: ReportWindow(from: window.from, to: window.to, zone: zone))
        var folders: [String] = []
        for settings in [try TestEnvironment.settings(), ConnectionSettings(conninfo: url)] {
            let folder = try TestEnvironment.temporaryDirectory()
            _ = try ReportRunner(catalog: catalog).run(catalog.reports, parameters: parameters, connection: settings,
                                                       output: OutputOptions(directory: folder, formats: [.csv]))
            folders.append(folder)
        }
        for output in catalog.reports.flatMap(\.outputs) {
            let name = "/\(output.name).csv"
            #expect(try Data(contentsOf: URL(fileURLWithPath: folders[0] + name)) == Data(contentsOf: URL(fileURLWithPath: folders[1] + name)),
                    "\(output.name)")
        }
    }
}
