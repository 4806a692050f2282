import Foundation
import Logging
import Testing
@testable import KeenReports

/// The HTML pages (FORMATS.md), opened in headless Chromium over file://
/// (Support/browser_check.py): no request but the page, no console error,
/// not blank, and every number of their tables equal to the CSV of the day.
@Suite(.serialized) struct PageTests {
    /// What a browser made of a page.
    struct Check: Decodable {
        struct Table: Decodable {
            let caption: String
            let rows: [[String]]
        }

        let requests: [String]
        let errors: [String]
        let colors: Int
        let height: Int
        let tables: [Table]
        let text: String
        /// The page's width as laid out, and the words outside tables broken across lines.
        let scroll_width: Int
        let broken_words: [String]

        func table(_ caption: String) throws -> [[String]] {
            try #require(tables.first { $0.caption.hasPrefix(caption) }, "no table \(caption) in \(tables.map(\.caption))").rows
        }
    }

    /// Opens `page`, keeps the screenshot beside it (a test artifact, never
    /// committed) and expects a clean load.
    static func open(_ page: String, width: Int = 1000, sourceLocation: SourceLocation = #_sourceLocation) throws -> Check {
        let python = try #require(ProcessInfo.processInfo.environment["KEEN_TEST_PYTHON"], "set by scripts/test")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [TestEnvironment.packageRoot.path + "/Tests/IntegrationTests/Support/browser_check.py", page,
                             page.replacingOccurrences(of: ".html", with: "-\(width).png"), String(width)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "chromium could not open \(page)")
        let check = try JSONDecoder().decode(Check.self, from: data)
        #expect(check.requests.isEmpty, "requests besides the page: \(check.requests)", sourceLocation: sourceLocation)
        #expect(check.errors.isEmpty, "console errors: \(check.errors)", sourceLocation: sourceLocation)
        #expect(check.colors > 20 && check.height > 300, "a blank screenshot (\(check.colors) colours)", sourceLocation: sourceLocation)
        return check
    }

    static func nightly(_ day: String, url: String, catalog: ReportCatalog? = nil, into directory: String? = nil) throws -> String {
        let directory = try directory ?? TestEnvironment.temporaryDirectory()
        let runner = NightlyRunner(catalog: try catalog ?? TestEnvironment.catalog(), log: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        _ = try runner.run(NightlyRunner.Options(dates: [try #require(CivilDate(day))], zone: .utc, outputDirectory: directory,
                                                 connection: ConnectionSettings(conninfo: url)))
        return directory
    }

    /// A CSV field without the formula guard's quote (the page shows the text as stored).
    static func unguarded(_ field: String) -> String {
        guard field.hasPrefix("'"), let next = field.dropFirst().first, "=+-@\t\r".contains(next) else { return field }
        return String(field.dropFirst())
    }

    static func columns(_ csv: [[String]], _ names: [String]) -> [[String]] {
        let indices = names.map { name in csv[0].firstIndex(of: name)! }
        return csv.map { row in indices.map { unguarded(row[$0]) } }
    }

    static let hostile = "<script>alert(\"x\")</script> & 'Co' <img src=x onerror=alert(1)>"

    @Test func theDayPageShowsTheCSVsNumbersInARealBrowser() throws {
        let url = try #require(ProcessInfo.processInfo.environment["KEEN_TEST_SCRATCH_URL"], "set by scripts/test")
        // A customer whose name is markup, with the day's largest cost.
        _ = try TestEnvironment.query("""
            WITH u AS (
                INSERT INTO users (id, email, username, password_hash)
                VALUES ('00000000-0000-0000-0000-00000000f00d', 'hostile@example.com', $1, 'x') ON CONFLICT DO NOTHING RETURNING id
            )
            INSERT INTO agent_sessions (user_id, session_id, git_branch, vision, working_directory, start_time, end_time, total_cost,
                                        tokens_used, execution_status)
            SELECT id, 'ses-hostile', 'b', 'v', '/w', '2026-11-18 10:00:00+00', '2026-11-18 10:05:00+00', 999.5, 10, 'completed' FROM u
            """, [Self.hostile], url: url)
        let directory = try Self.nightly("2026-11-18", url: url)
        let folder = directory + "/2026-11-18"
        let page = try String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        #expect(!page.lowercased().contains("<script"), "no script, even from the data")
        #expect(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;"))
        #expect(page.utf8.count < 1_000_000)
        let check = try Self.open(folder + "/index.html")

        func csv(_ name: String) throws -> [[String]] { try TestEnvironment.csv(folder + "/\(name).csv") }
        #expect(try check.table("Sessions per hour") == Self.columns(try csv("dashboard_metrics"), ["hour_bucket", "sessions_started", "sessions_completed"]))
        #expect(try check.table("Time per phase") == Self.columns(try csv("phase_time_breakdown"), ["phase", "transitions", "total_ms"]))
        let tools = Self.columns(try csv("cost_per_tool"), ["tool_name", "executions", "total_cost", "p50_execution_ms", "p95_execution_ms", "p99_execution_ms"])
        #expect(try check.table("Tools by total cost").dropFirst() == tools.dropFirst().prefix(10))
        #expect(try check.table("Sessions per depth").dropFirst() == Self.columns(try csv("recursion_depth"), ["depth", "sessions", "total_cost"]).dropFirst())
        // The customers: the CSV's rows with the ten largest costs, ties by username.
        let daily = Self.columns(try csv("daily_usage"), ["username", "user_id", "sessions_started", "total_tokens_consumed", "total_cost"])
        let top = daily.dropFirst().sorted {
            let (a, b) = (Decimal(string: $0[4])!, Decimal(string: $1[4])!)
            return a != b ? a > b : $0[0].utf8.lexicographicallyPrecedes($1[0].utf8)
        }.prefix(10)
        #expect(try check.table("Customers by cost").dropFirst() == top)
        // The browser read the name as text, not as markup.
        #expect(top.first?[0] == Self.hostile)
        // The reconciliation: counts per type and the first rows.
        let summary = try TestEnvironment.json(folder + "/reconciliation_summary.json")
        let counts = try #require(summary["discrepancy_counts"] as? [String: Int])
        #expect(Dictionary(uniqueKeysWithValues: try check.table("Discrepancies per type").dropFirst().map { ($0[0], Int($0[1])!) }) == counts)
        let discrepancies = try csv("reconciliation_discrepancies")
        if discrepancies.count > 1 {
            #expect(try check.table("The first").dropFirst() == Self.columns(discrepancies, discrepancies[0]).dropFirst().prefix(20))
        }
        // The real-time sections: the CSV's rows, hostile event types read as text.
        #expect(try check.table("Events per type and source") == Self.columns(try csv("realtime_events"), DaySections.eventColumns))
        #expect(try check.table("Connections per client type") == Self.columns(try csv("websocket_connections"), DaySections.connectionColumns))
        #expect(try check.table("Samples per hour") == Self.columns(try csv("system_health"), DaySections.healthColumns))
        #expect(try check.table("Events per type and source").contains { $0[0] == "<b>bold</b> & \"co\"" })
        // The roll-forward, as a table with the CSV's text; refunds and the
        // ages of open items as the summary has them.
        #expect(try check.table("The credit liability") == (try csv("ledger_rollforward")))
        let refunds = try #require(summary["refunds"] as? [String: [String: Any]])
        #expect(try check.table("Refunds of the day").dropFirst().map { $0 } == ["payment", "credit"].map { kind in
            [kind, String(refunds[kind]?["count"] as? Int ?? -1), refunds[kind]?["sum"] as? String ?? ""]
        })
        let disputed = try #require(summary["disputed_ageing"] as? [String: [String: Any]])
        #expect(try check.table("How long open items have waited").dropFirst().map { [$0[0], $0[3], $0[4]] }
                == ["0_1_days", "2_7_days", "8_30_days", "over_30_days"].map { bucket in
                    [bucket, String(disputed[bucket]?["count"] as? Int ?? -1), disputed[bucket]?["sum"] as? String ?? ""]
                })
        // The headline.
        let started = try csv("dashboard_metrics").dropFirst().reduce(0) { $0 + Int($1[1])! }
        #expect(check.text.contains("\(started)\nsessions started"), "\(check.text.prefix(600))")

        // The output folder's list of days.
        let index = try Self.open(directory + "/index.html")
        let days = try index.table("Every day written")
        #expect(days.count == 2 && days[1][0] == "2026-11-18" && days[1][3] == String(started))
        #expect(days[1][5] == String(summary["discrepancies"] as! Int))
    }

    /// Mail is read on phones: at 390 px the page does not scroll sideways,
    /// no word outside a table is broken, and the headline reads as people
    /// write numbers (separators, cents), computed here from the manifest.
    @Test func thePageReadsOnAPhone() throws {
        let directory = try Self.nightly("2026-11-15", url: try ReconciliationTests.environment("KEEN_TEST_PLANTED_URL"))
        let folder = directory + "/2026-11-15"
        let headline = try #require(try TestEnvironment.json(folder + "/manifest.json")["headline"] as? [String: Any])
        for width in [390, 1280] {
            let check = try Self.open(folder + "/index.html", width: width)
            #expect(check.scroll_width <= width, "\(width) px: the page is \(check.scroll_width) px wide")
            #expect(check.broken_words.isEmpty, "\(width) px: broken words \(check.broken_words)")
            let grouped = NumberFormatter()
            grouped.numberStyle = .decimal
            grouped.locale = Locale(identifier: "en_US")
            grouped.minimumFractionDigits = 2
            grouped.maximumFractionDigits = 2
            grouped.roundingMode = .halfUp
            // Rounded by Foundation's Decimal first: its formatter keeps more places than asked on Linux.
            var exact = Decimal(string: headline["total_cost"] as! String)!, cents = Decimal()
            NSDecimalRound(&cents, &exact, 2, .plain)
            let cost = grouped.string(from: NSDecimalNumber(decimal: cents))!
            grouped.minimumFractionDigits = 0
            let tokens = grouped.string(from: headline["total_tokens"] as! NSNumber)!
            #expect(check.text.contains("\(cost) USD\ntotal session cost"), "\(check.text.prefix(500))")
            #expect(check.text.contains("\(tokens)\ntokens") && tokens.contains(","), "\(check.text.prefix(500))")
        }
    }

    @Test func anEmptyDaySaysSoWithoutEmptyCharts() throws {
        let directory = try Self.nightly("2025-06-01", url: TestEnvironment.databaseURL())
        let page = try String(contentsOfFile: directory + "/2025-06-01/index.html", encoding: .utf8)
        #expect(page.contains("No sessions this day."))
        let hourly = try #require(page.range(of: "Sessions per hour")).upperBound
        let next = try #require(page.range(of: "<section>", range: hourly..<page.endIndex)).lowerBound
        #expect(!page[hourly..<next].contains("<svg"), "no chart of nothing")
        _ = try Self.open(directory + "/2025-06-01/index.html")
    }

    @Test func aFailedReportIsNamedFirstAndTheRestIsShown() throws {
        let root = try TestEnvironment.catalogWith([("broken", "SELECT (1 / 0)::int8 AS n")])
        let definition = root + "/reports/broken.json"
        try String(contentsOfFile: definition, encoding: .utf8).replacingOccurrences(of: "\"nightly\": false", with: "\"nightly\": true")
            .write(toFile: definition, atomically: true, encoding: .utf8)
        let directory = try Self.nightly("2026-11-18", url: TestEnvironment.databaseURL(), catalog: ReportCatalog(directory: URL(fileURLWithPath: root)))
        let check = try Self.open(directory + "/2026-11-18/index.html")
        #expect(check.text.contains("1 report failed"), "\(check.text.prefix(300))")
        #expect(check.text.contains("broken: report broken") || check.text.contains("broken:"), "\(check.text.prefix(500))")
        #expect(try check.table("Sessions per hour").count == 25, "the other sections are there")
    }

    @Test func renderRefusesDamagedFilesAndWritesNothing() throws {
        let directory = try Self.nightly("2026-11-18", url: TestEnvironment.databaseURL())
        let folder = directory + "/2026-11-18"
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/index.html"))
        let rendered = try runKeenReports(["render", folder])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/index.html")) == before, "a page is a pure function of its files")

        let damaged = folder + "/cost_per_tool.json"
        let text = try String(contentsOfFile: damaged, encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(toFile: damaged, atomically: true, encoding: .utf8)
        try "stale".write(toFile: folder + "/index.html", atomically: true, encoding: .utf8)
        for target in [folder, directory] {
            let result = try runKeenReports(["render", target])
            #expect(result.status == 65, "\(result.stderr)")
            #expect(result.stderr.contains("cost_per_tool.json") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        #expect(try String(contentsOfFile: folder + "/index.html", encoding: .utf8) == "stale", "nothing written")
        let notADay = try runKeenReports(["render", try TestEnvironment.temporaryDirectory()])
        #expect(notADay.status == 65 && notADay.stderr.contains("day folder"), "\(notADay.stderr)")
    }
}
