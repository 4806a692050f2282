import Foundation
import Testing
@testable import KeenReports

/// Finance's exception register, night after night on the planted data. The
/// independent computation: after each night, a full `reconcile` of every
/// day from the register's first night through that one, as the data is
/// then; its discrepancies, keyed by this file's own reading of the rule
/// (type and what the row names), are exactly the register's open rows.
@Suite(.serialized) struct ExceptionRegisterTests {
    static var changing: String { get throws { try ReconciliationTests.environment("KEEN_TEST_REGISTER_URL") } }
    static var planted: String { get throws { try ReconciliationTests.environment("KEEN_TEST_PLANTED_URL") } }
    static var stripe: String { get throws { try ReconciliationTests.environment("KEEN_TEST_STRIPE_PLANTED") } }

    @discardableResult
    static func night(_ day: String, into directory: String, url: String, more: [String] = []) throws -> CommandResult {
        let result = try runKeenReports(["nightly", "--date", day, "--output-dir", directory, "--stripe-export", try stripe,
                                         "--format", "csv,json,xlsx"] + more, environment: ["KEEN_DATABASE_URL": url])
        #expect(result.status == 1, "\(day): \(result.stderr)")
        return result
    }

    /// The rows of a day's exceptions.csv, by column name.
    static func register(_ directory: String, _ day: String) throws -> [[String: String]] {
        let records = try TestEnvironment.csv(directory + "/\(day)/exceptions.csv")
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(records[0], $0)) }
    }

    /// What a discrepancy row names, read the way docs/finance.md says.
    static func key(_ row: [String: String]) -> String {
        let type = row["type"]!
        if let id = row["transaction_id"], !id.isEmpty { return "\(type)/transaction/\(id)" }
        if let id = row["payment_intent_id"], !id.isEmpty { return "\(type)/payment_intent/\(id)" }
        if let id = row["session_id"], !id.isEmpty { return "\(type)/session/\(id)" }
        if let id = row["account_id"], !id.isEmpty { return "\(type)/account/\(id)" }
        let sample = row["detail"]!.components(separatedBy: "the sample of ")[1]
        return "\(type)/metrics_day/\(sample.prefix(10))"
    }

    /// Key → (expected, actual) of a full reconcile of `first` through `last`.
    static func reconciled(_ first: String, through last: String, url: String) throws -> [String: [String]] {
        let directory = try TestEnvironment.temporaryDirectory()
        let result = try runKeenReports(["reconcile", "--from", first, "--to", CivilDate(last)!.adding(days: 1).description,
                                         "--stripe-export", try stripe, "--output-dir", directory, "--format", "csv"],
                                        environment: ["KEEN_DATABASE_URL": url])
        #expect(result.status == 1, "\(result.stderr)")
        let records = try TestEnvironment.csv(directory + "/reconciliation_discrepancies.csv")
        var found: [String: [String]] = [:]
        for record in records.dropFirst() {
            let row = Dictionary(uniqueKeysWithValues: zip(records[0], record))
            found[key(row)] = [row["expected"]!, row["actual"]!]
        }
        return found
    }

    /// The open rows equal the span's reconcile: the same keys, each with the
    /// night it first appeared in a span, the nights since, and tonight's figures.
    static func expectOpen(_ rows: [[String: String]], equal span: [String: [String]], firstSeen: [String: String],
                           tonight: String, except settled: Set<String> = [], _ label: String) {
        let open = rows.filter { $0["status"] == "open" }
        #expect(Set(open.map { $0["key"]! }) == Set(span.keys).subtracting(settled), "\(label)")
        for row in open {
            let key = row["key"]!
            #expect([row["expected"]!, row["actual"]!] == span[key], "\(label): \(key)")
            #expect(row["first_seen"] == firstSeen[key], "\(label): \(key)")
            #expect(row["last_seen"] == tonight, "\(label): \(key) was checked again tonight")
            let nights = CivilDate(tonight)!.daysSinceUnixEpoch - CivilDate(firstSeen[key]!)!.daysSinceUnixEpoch + 1
            #expect(row["nights_open"] == String(nights), "\(label): \(key)")
        }
    }

    @Test func anExceptionAppearsStaysOpenAndClosesWithItsReason() throws {
        let url = try Self.changing
        let directory = try TestEnvironment.temporaryDirectory()
        let chainBreak = try #require(try TestEnvironment.query(
            "SELECT transaction_id::text FROM keen_gen.planted WHERE type = 'CHAIN_BREAK'", url: url).first?[0])
        let signViolation = try #require(try TestEnvironment.query(
            "SELECT transaction_id::text FROM keen_gen.planted WHERE type = 'SIGN_VIOLATION' ORDER BY transaction_id LIMIT 1", url: url).first?[0])
        let chainKey = "CHAIN_BREAK/transaction/\(chainBreak)", signKey = "SIGN_VIOLATION/transaction/\(signViolation)"
        var firstSeen: [String: String] = [:]

        // Night 1: every discrepancy of the day opens.
        try Self.night("2026-11-15", into: directory, url: url)
        let first = try Self.reconciled("2026-11-15", through: "2026-11-15", url: url)
        for key in first.keys { firstSeen[key] = "2026-11-15" }
        #expect(first[chainKey] != nil && first[signKey] != nil, "the planted rows of 2026-11-15 are found")
        let night1 = try Self.register(directory, "2026-11-15")
        Self.expectOpen(night1, equal: first, firstSeen: firstSeen, tonight: "2026-11-15", "night 1")
        let summary1 = try #require(try TestEnvironment.json(directory + "/2026-11-15/reconciliation_summary.json")["exceptions"] as? [String: Any])
        #expect(summary1["new_tonight"] as? Int == first.count && summary1["still_open"] as? Int == 0, "\(summary1)")

        // Night 2: still open, two nights, though the day's window no longer holds the row.
        try Self.night("2026-11-16", into: directory, url: url)
        let day2 = try TestEnvironment.csv(directory + "/2026-11-16/reconciliation_discrepancies.csv").joined().joined(separator: ",")
        #expect(!day2.contains(chainBreak), "the night's own window does not report it again")
        let second = try Self.reconciled("2026-11-15", through: "2026-11-16", url: url)
        for key in second.keys where firstSeen[key] == nil { firstSeen[key] = "2026-11-16" }
        let night2 = try Self.register(directory, "2026-11-16")
        Self.expectOpen(night2, equal: second, firstSeen: firstSeen, tonight: "2026-11-16", "night 2")
        #expect(night2.first { $0["key"] == chainKey }?["nights_open"] == "2")

        // Before night 3 finance corrects the chain (the adjustment was 2, not
        // 1) and marks the sign violation reconciled.
        _ = try TestEnvironment.query("UPDATE credit_transactions SET amount = 2.0000 WHERE id = $1", [chainBreak], url: url)
        _ = try TestEnvironment.query("UPDATE credit_transactions SET reconciliation_status = 'reconciled' WHERE id = $1",
                                      [signViolation], url: url)
        try Self.night("2026-11-17", into: directory, url: url)
        let third = try Self.reconciled("2026-11-15", through: "2026-11-17", url: url)
        #expect(third[chainKey] == nil && third[signKey] != nil)
        for key in third.keys where firstSeen[key] == nil { firstSeen[key] = "2026-11-17" }
        let night3 = try Self.register(directory, "2026-11-17")
        Self.expectOpen(night3, equal: third, firstSeen: firstSeen, tonight: "2026-11-17", except: [signKey], "night 3")
        let closed = Dictionary(uniqueKeysWithValues: night3.filter { $0["status"] == "closed" }.map { ($0["key"]!, $0) })
        #expect(Set(closed.keys) == [chainKey, signKey], "\(closed.keys)")
        #expect(closed[chainKey]?["closed_reason"] == "no_longer_reported" && closed[chainKey]?["closed_on"] == "2026-11-17")
        #expect(closed[signKey]?["closed_reason"] == "reconciled" && closed[signKey]?["reconciliation_status"] == "reconciled")
        #expect(closed[chainKey]?["first_seen"] == "2026-11-15" && closed[chainKey]?["nights_open"] == "2")

        // The summary, the page and the workbook say it too.
        let summary3 = try #require(try TestEnvironment.json(directory + "/2026-11-17/reconciliation_summary.json")["exceptions"] as? [String: Any])
        #expect(summary3["closed_tonight"] as? Int == 2 && summary3["closed_reconciled"] as? Int == 1, "\(summary3)")
        let ageing = try #require(summary3["ageing"] as? [String: Int])
        #expect(ageing["2_7_days"] == night3.filter { $0["status"] == "open" && $0["first_seen"]! <= "2026-11-15" }.count)
        let page = try String(contentsOfFile: directory + "/2026-11-17/index.html", encoding: .utf8)
        #expect(page.contains("Exception register") && page.contains("oldest open exceptions"))
        #expect(page.contains("2 closed tonight (1 no longer reported, 1 reconciled)"))
        let open3 = night3.filter { $0["status"] == "open" }.count
        #expect(page.contains("<b>\(open3)</b><span>open exceptions</span>"), "the headline counts the open exceptions")
        // The workbook, read by openpyxl, holds the CSV's rows.
        let workbook = try Workbook.read(directory + "/2026-11-17/exceptions.xlsx")
        expectWorkbookEqualsCSV([try workbook.sheet("exceptions")], try TestEnvironment.csv(directory + "/2026-11-17/exceptions.csv"),
                                columns: RegisteredException.columns, "exceptions.xlsx")

        // `exceptions` prints the same register without the database.
        let printed = try runKeenReports(["exceptions", "--as-of", "2026-11-17", "--output-dir", directory],
                                         environment: ["KEEN_DATABASE_URL": "postgresql://nobody@%2Fnonexistent/none"])
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout == (try String(contentsOfFile: directory + "/2026-11-17/exceptions.csv", encoding: .utf8)))
    }

    /// Three nights one by one on the unchanged planted data.
    static func threeNights(into directory: String) throws {
        for day in ["2026-11-13", "2026-11-14", "2026-11-15"] { try night(day, into: directory, url: try planted) }
    }

    static func copy(_ directory: String) throws -> String {
        let copy = try TestEnvironment.temporaryDirectory() + "/out"
        try FileManager.default.copyItem(atPath: directory, toPath: copy)
        return copy
    }

    static func bytes(_ directory: String, _ day: String, _ name: String) -> Data? {
        FileManager.default.contents(atPath: directory + "/\(day)/\(name)")
    }

    @Test func aDeletedOrDamagedRegisterIsRebuiltEqual() throws {
        let original = try TestEnvironment.temporaryDirectory()
        try Self.threeNights(into: original)
        let state = ExceptionRegisterFile.stateName
        #expect(try Self.register(original, "2026-11-15").contains { $0["first_seen"] == "2026-11-13" && $0["nights_open"] == "3" })

        let damages: [(String, (String) throws -> Void)] = [
            ("state deleted", { try FileManager.default.removeItem(atPath: $0 + "/2026-11-14/\(state)") }),
            ("state truncated", { path in
                let data = try #require(FileManager.default.contents(atPath: path + "/2026-11-14/\(state)"))
                try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path + "/2026-11-14/\(state)"))
            }),
            ("state and report deleted", { path in
                for name in [state, "exceptions.csv", "exceptions.json", "exceptions.xlsx"] {
                    try FileManager.default.removeItem(atPath: path + "/2026-11-14/\(name)")
                }
            }),
        ]
        for (label, damage) in damages {
            let copy = try Self.copy(original)
            try damage(copy)
            let result = try Self.night("2026-11-15", into: copy, url: try Self.planted)
            #expect(result.stderr.contains("exception register:") && result.stderr.contains("rebuilt"), "\(label): \(result.stderr)")
            for name in ["exceptions.csv", state] {
                #expect(Self.bytes(copy, "2026-11-15", name) == Self.bytes(original, "2026-11-15", name), "\(label): \(name)")
            }
        }
    }

    @Test func aBackfillAndARerunWriteTheSameRegisters() throws {
        let oneByOne = try TestEnvironment.temporaryDirectory()
        try Self.threeNights(into: oneByOne)
        // Two servers (the same one twice): the days run side by side, each
        // register waiting for the day before.
        let backfill = try TestEnvironment.temporaryDirectory()
        let url = try Self.planted
        let result = try runKeenReports(["nightly", "--from-date", "2026-11-13", "--to-date", "2026-11-15", "--output-dir", backfill,
                                         "--stripe-export", try Self.stripe, "--format", "csv,json,xlsx",
                                         "--database-url", url, "--database-url", url])
        #expect(result.status == 1, "\(result.stderr)")
        for day in ["2026-11-13", "2026-11-14", "2026-11-15"] {
            for name in ["exceptions.csv", ExceptionRegisterFile.stateName] {
                #expect(Self.bytes(backfill, day, name) == Self.bytes(oneByOne, day, name), "\(day) \(name)")
            }
        }
        // A rerun of the middle day, after the last: the same register.
        let before = Self.bytes(oneByOne, "2026-11-14", "exceptions.csv")
        try Self.night("2026-11-14", into: oneByOne, url: url)
        #expect(Self.bytes(oneByOne, "2026-11-14", "exceptions.csv") == before)
    }
}
