import Foundation
import Testing
@testable import KeenReports

/// The night delivered to a real SMTP server (aiosmtpd: STARTTLS with a
/// throwaway CA, AUTH against the password file) and a real HTTP receiver on
/// loopback, each message read back with Python's email package
/// (DELIVERY.md).
@Suite(.serialized) struct DeliveryTests {
    static var planted: String { get throws { try ReconciliationTests.environment("KEEN_TEST_PLANTED_URL") } }
    static var changing: String { get throws { try ReconciliationTests.environment("KEEN_TEST_DELIVERY_URL") } }

    static func write(_ yaml: String) throws -> String {
        let path = try TestEnvironment.temporaryDirectory() + "/delivery.yaml"
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func smtp(_ credentials: MailCredentials, port: Int) -> String {
        """
        smtp:
          url: smtp://127.0.0.1:\(port)
          ca_file: \(credentials.caFile)
          username: \(credentials.user)
          password_file: \(credentials.passwordFile)
          from: "keen-reports <reports@keen.example>"

        """
    }

    static func nightly(_ date: String, url: String, into directory: String, delivery: String? = nil, extra: [String] = []) throws -> CommandResult {
        try runKeenReports(["nightly", "--date", date, "--output-dir", directory, "--stripe-export", try RowSecurityTests.stripe]
                           + (delivery.map { ["--deliver", $0] } ?? []) + extra, environment: ["KEEN_DATABASE_URL": url])
    }

    static func deliveries(_ folder: String) throws -> [String: [String: Any]] {
        let record = try TestEnvironment.json(folder + "/deliveries.json")
        let list = try #require(record["deliveries"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as! String, $0) })
    }

    @Test func aNightReachesItsRecipientsAndWebhook() throws {
        let credentials = try MailCredentials()
        let mail = try credentials.mailServer()
        defer { mail.stop() }
        let hook = try LoopbackServer(script: "http_receiver.py") { port, folder in [String(port), folder, "500", "500", "200"] }
        defer { hook.stop() }
        let delivery = try Self.write(Self.smtp(credentials, port: mail.port) + """
            webhooks:
              - name: ops-chat
                url: http://127.0.0.1:\(hook.port)/hooks/keen
                events: [failed, discrepancies]
            recipients:
              - name: finance
                to: [finance@keen.example, controller@keen.example]
                events: [clean, discrepancies, failed]
                attach: [reconciliation.xlsx, reconciliation_summary.json, session_usage.json, ledger_rollforward.xlsx, not_a_report.csv]
                max_attachment_mib: 0.02
              - name: product
                to: [product@keen.example]
                events: [clean]
                attach: [daily_usage.csv]
            """)
        let directory = try TestEnvironment.temporaryDirectory()
        // The day before, for the day-over-day changes.
        #expect(try Self.nightly("2026-11-14", url: Self.planted, into: directory).status == 1)
        let started = Date()
        let result = try Self.nightly("2026-11-15", url: Self.planted, into: directory, delivery: delivery, extra: ["--format", "all"])
        #expect(result.status == 1, "\(result.stderr)")
        // The webhook answered 500 twice: 2 s and 4 s of retries, not more.
        #expect(Date().timeIntervalSince(started) < 30)
        let folder = directory + "/2026-11-15"
        let manifest = try TestEnvironment.json(folder + "/manifest.json")
        let digests = Dictionary(uniqueKeysWithValues: (manifest["files"] as! [[String: Any]]).map { ($0["name"] as! String, $0["sha256"] as! String) })

        // One message, to finance only: product wants clean nights.
        let messages = try mail.saved(".eml")
        try #require(messages.count == 1)
        let envelope = try TestEnvironment.json(messages[0].replacingOccurrences(of: ".eml", with: ".json"))
        #expect(envelope["to"] as? [String] == ["finance@keen.example", "controller@keen.example"])
        #expect(envelope["tls"] as? Bool == true && envelope["authenticated"] as? Bool == true)
        let message = try ReadMessage(messages[0])
        #expect(message.defects.isEmpty, "\(message.defects)")
        let discrepancies = try #require((manifest["headline"] as? [String: Any])?["discrepancies"] as? Int)
        #expect(message.subject == "keen-reports 2026-11-15: \(discrepancies) discrepancies")
        #expect(message.from == "keen-reports <reports@keen.example>")
        #expect(message.message_id.hasPrefix("<") && message.message_id.hasSuffix("@keen.example>") && !message.date.isEmpty)
        #expect(message.parts.map(\.content_type) == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html",
                                                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                     "application/json", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"])
        #expect(message.parts[3].sha256 == (try NightlyTests.sha256sum(folder + "/index.html")), "the HTML part is the day's page")
        for part in message.parts where part.disposition == "attachment" {
            let name = try #require(part.filename)
            #expect(part.sha256 == digests[name], "\(name): the attachment's bytes are the day's file")
        }
        #expect(message.parts.compactMap(\.filename) == ["reconciliation.xlsx", "reconciliation_summary.json", "ledger_rollforward.xlsx"])
        // What was left out is named, with the size and path of the file too large to attach.
        let size = try #require((try FileManager.default.attributesOfItem(atPath: folder + "/session_usage.json")[.size] as? NSNumber)?.intValue)
        #expect(size > 20_972, "session_usage.json must be over the limit for this test")
        #expect(message.text.contains("session_usage.json: ") && message.text.contains("over the 20.5 KiB limit: \(folder)/session_usage.json"),
                "\(message.text)")
        #expect(message.text.contains("not_a_report.csv: not written this night"), "\(message.text)")
        // Day over day: sessions started against the 14th's, computed here from the two manifests.
        let before = try TestEnvironment.json(directory + "/2026-11-14/manifest.json")["headline"] as! [String: Any]
        let (old, new) = (before["sessions_started"] as! Int, (manifest["headline"] as! [String: Any])["sessions_started"] as! Int)
        var percent = Decimal(new - old) * 100 / Decimal(old), rounded = Decimal()
        NSDecimalRound(&rounded, &percent, 1, .plain)
        let change = (rounded >= 0 ? "+" : "") + String(format: "%.1f", NSDecimalNumber(decimal: rounded).doubleValue) + "%"
        #expect(message.text.contains("\(new) sessions started (\(change))"), "\(message.text)")

        // The webhook: retried after two 500s, arrived once.
        let bodies = try hook.saved(".json")
        try #require(bodies.count == 1)
        let body = try TestEnvironment.json(bodies[0])
        #expect(body["text"] as? String == "keen-reports 2026-11-15: \(discrepancies) discrepancies")
        #expect(body["status"] as? String == "discrepancies" && body["exit_status"] as? Int == 1 && body["date"] as? String == "2026-11-15")
        #expect(body["page"] as? String == folder + "/index.html")
        let requests = try String(contentsOfFile: hook.folder + "/requests.log", encoding: .utf8)
        #expect(requests == "500 application/json\n500 application/json\n200 application/json\n")

        let record = try Self.deliveries(folder)
        #expect(record["finance"]?["status"] as? String == "sent" && record["finance"]?["attempts"] as? Int == 1)
        #expect(record["product"]?["status"] as? String == "skipped")
        #expect(record["ops-chat"]?["status"] as? String == "sent" && record["ops-chat"]?["attempts"] as? Int == 3)
        #expect(!(try String(contentsOfFile: folder + "/deliveries.json", encoding: .utf8)).contains(credentials.password))
        #expect(!result.stderr.contains(credentials.password))
    }

    @Test func aPermanentAnswerIsRecordedOnceAndFailsTheNight() throws {
        let credentials = try MailCredentials()
        let mail = try credentials.mailServer()
        defer { mail.stop() }
        let hook = try LoopbackServer(script: "http_receiver.py") { port, folder in [String(port), folder, "400"] }
        defer { hook.stop() }
        let wrongPassword = try TestEnvironment.temporaryDirectory() + "/wrong"
        try Data("not-the-password\n".utf8).write(to: URL(fileURLWithPath: wrongPassword))
        chmod(wrongPassword, 0o600)
        let delivery = try Self.write(Self.smtp(credentials, port: mail.port).replacingOccurrences(of: credentials.passwordFile, with: wrongPassword) + """
            webhooks:
              - name: ops-chat
                url: http://127.0.0.1:\(hook.port)/hooks/keen
                events: [discrepancies]
            recipients:
              - name: finance
                to: [finance@keen.example]
                events: [discrepancies]
            """)
        let directory = try TestEnvironment.temporaryDirectory()
        let result = try Self.nightly("2026-11-15", url: Self.planted, into: directory, delivery: delivery)
        #expect(result.status == 70, "\(result.stderr)")
        let folder = directory + "/2026-11-15"
        #expect(FileManager.default.fileExists(atPath: folder + "/manifest.json"), "the files are complete")
        let record = try Self.deliveries(folder)
        #expect(record["ops-chat"]?["status"] as? String == "failed" && record["ops-chat"]?["attempts"] as? Int == 1)
        #expect((record["ops-chat"]?["last_answer"] as? String)?.hasPrefix("HTTP 400") == true)
        #expect(record["finance"]?["status"] as? String == "failed" && record["finance"]?["attempts"] as? Int == 1, "\(record)")
        #expect((record["finance"]?["last_answer"] as? String)?.hasPrefix("SMTP 535") == true, "\(record)")
        #expect(try String(contentsOfFile: hook.folder + "/requests.log", encoding: .utf8) == "400 application/json\n")
        #expect(try mail.saved(".eml").isEmpty)
    }

    @Test func aMailServerThatIsDownFailsTheNightAndDeliverSendsTheDayLater() throws {
        let credentials = try MailCredentials()
        // A port nothing listens on yet.
        let port = 20_000 + Int.random(in: 0..<40_000)
        let delivery = try Self.write(Self.smtp(credentials, port: port) + """
            recipients:
              - name: finance
                to: [finance@keen.example]
                events: [clean, discrepancies, failed]
                attach: [reconciliation_summary.json]
            """)
        let metrics = try TestEnvironment.temporaryDirectory() + "/keen.prom"
        let directory = try TestEnvironment.temporaryDirectory()
        let result = try Self.nightly("2026-11-15", url: Self.planted, into: directory, delivery: delivery, extra: ["--metrics-file", metrics])
        #expect(result.status == 70, "\(result.stderr)")
        let folder = directory + "/2026-11-15"
        #expect(FileManager.default.fileExists(atPath: folder + "/manifest.json"))
        let record = try Self.deliveries(folder)
        #expect(record["finance"]?["status"] as? String == "failed" && record["finance"]?["attempts"] as? Int == 4, "\(record)")
        #expect(try String(contentsOfFile: metrics, encoding: .utf8).contains("keen_reports_delivery_success{target=\"finance\"} 0"))

        // The server is up now: deliver sends the written day, without the database.
        let mail = try LoopbackServer(script: "mail_server.py") { _, folder in
            [String(port), folder, credentials.certificate, credentials.key, credentials.user, credentials.password]
        }
        defer { mail.stop() }
        let again = try runKeenReports(["deliver", "--date", "2026-11-15", "--output-dir", directory, "--deliver", delivery],
                                       environment: ["KEEN_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(try mail.saved(".eml").count == 1)
        #expect(try Self.deliveries(folder)["finance"]?["status"] as? String == "sent")

        // A damaged day is refused (65), and nothing is sent.
        try Data("tampered\n".utf8).write(to: URL(fileURLWithPath: folder + "/reconciliation_summary.json"))
        let damaged = try runKeenReports(["deliver", "--date", "2026-11-15", "--output-dir", directory, "--deliver", delivery])
        #expect(damaged.status == 65 && damaged.stderr.contains("reconciliation_summary.json does not match its manifest"), "\(damaged.stderr)")
        #expect(try mail.saved(".eml").count == 1)
    }

    @Test(arguments: [
        ("password mode", "mode"), ("URL with a password", "url"), ("unknown key", "unknown"), ("bad event", "event"),
    ])
    func aBadDeliveryFileIs64NamingTheFileTheKeyAndTheLine(_ label: String, _ fault: String) throws {
        let credentials = try MailCredentials()
        var yaml = Self.smtp(credentials, port: 2525) + """
            recipients:
              - name: finance
                to: [finance@keen.example]
                events: [clean]
            """
        var expected: String
        switch fault {
        case "mode":
            chmod(credentials.passwordFile, 0o644)
            expected = ":5: smtp.password_file \(credentials.passwordFile) has mode 0644, which lets others read it"
        case "url":
            yaml = yaml.replacingOccurrences(of: "smtp://127.0.0.1:2525", with: "smtp://keen:hunter2-pw@127.0.0.1:2525")
            expected = ":2: smtp.url holds a user or password"
        case "unknown":
            yaml += "\n    attachments: [daily_usage.csv]\n"
            expected = ":11: unknown key 'attachments' in recipients[0]"
        default:
            yaml = yaml.replacingOccurrences(of: "events: [clean]", with: "events: [clean, on-failure]")
            expected = ":10: recipients[0].events has 'on-failure', not one of clean, discrepancies, failed"
        }
        let delivery = try Self.write(yaml)
        // Refused before the database is read: the server given does not exist.
        let result = try runKeenReports(["nightly", "--date", "2026-11-15", "--output-dir", try TestEnvironment.temporaryDirectory(),
                                         "--deliver", delivery], environment: ["KEEN_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"])
        #expect(result.status == 64, "\(label): \(result.stderr)")
        #expect(result.stderr.contains(delivery + expected), "\(label): \(result.stderr)")
        #expect(!result.stderr.contains("hunter2-pw"))
    }

    @Test func checkTriesTheLoginAndSendsNothing() throws {
        let credentials = try MailCredentials()
        let mail = try credentials.mailServer()
        defer { mail.stop() }
        let recipients = """
            recipients:
              - name: finance
                to: [finance@keen.example]
                events: [clean, discrepancies, failed]
            """
        let good = try Self.write(Self.smtp(credentials, port: mail.port) + recipients)
        let arguments = ["check", "nightly", "--date", "2026-11-15", "--output-dir", try TestEnvironment.temporaryDirectory() + "/night"]
        let ok = try runKeenReports(arguments + ["--deliver", good])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("ok    smtp: smtp://127.0.0.1:\(mail.port) answers over STARTTLS, and accepts the login of keen-reports"), "\(ok.stdout)")
        let wrong = try TestEnvironment.temporaryDirectory() + "/wrong"
        try Data("not-it\n".utf8).write(to: URL(fileURLWithPath: wrong))
        chmod(wrong, 0o600)
        let refused = try runKeenReports(arguments + ["--deliver", try Self.write(Self.smtp(credentials, port: mail.port)
            .replacingOccurrences(of: credentials.passwordFile, with: wrong) + recipients)])
        #expect(refused.status == 70 && refused.stdout.contains("FAIL  smtp: smtp://127.0.0.1:\(mail.port): SMTP 535"), "\(refused.stdout)")
        #expect(try mail.saved(".eml").isEmpty, "check sends nothing")
        let invalid = try runKeenReports(arguments + ["--deliver", try Self.write(recipients)])
        #expect(invalid.status == 64 && invalid.stdout.contains("FAIL  delivery file:") && invalid.stdout.contains("recipients need an smtp section"),
                "\(invalid.stdout)")
    }

    @Test func aRerunThatChangesNumbersRestatesThoseReportsOnly() throws {
        let hook = try LoopbackServer(script: "http_receiver.py") { port, folder in [String(port), folder, "200"] }
        defer { hook.stop() }
        let delivery = try Self.write("""
            webhooks:
              - name: ops-chat
                url: http://127.0.0.1:\(hook.port)/hooks/keen
                events: [clean, discrepancies, failed]
            """)
        let directory = try TestEnvironment.temporaryDirectory()
        let folder = directory + "/2026-11-15"
        #expect(try Self.nightly("2026-11-15", url: Self.changing, into: directory, delivery: delivery).status == 1)
        #expect((try TestEnvironment.json(folder + "/manifest.json")["restated"] as? [Any])?.isEmpty == true)
        // The same data again: nothing is restated.
        #expect(try Self.nightly("2026-11-15", url: Self.changing, into: directory, delivery: delivery).status == 1)
        #expect((try TestEnvironment.json(folder + "/manifest.json")["restated"] as? [Any])?.isEmpty == true)
        let before = try TestEnvironment.json(folder + "/manifest.json")

        // One tool execution of the day costs more: cost_per_tool changes, git operations do not.
        _ = try TestEnvironment.query("""
            UPDATE tool_executions SET cost = cost + 1
            WHERE id = (SELECT id FROM tool_executions WHERE execution_timestamp >= '2026-11-15Z' AND execution_timestamp < '2026-11-16Z'
                        ORDER BY id LIMIT 1)
            RETURNING id
            """, url: try Self.changing)
        let result = try Self.nightly("2026-11-15", url: Self.changing, into: directory, delivery: delivery)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("RESTATED"), "\(result.stderr)")
        let manifest = try TestEnvironment.json(folder + "/manifest.json")
        let restated = try #require(manifest["restated"] as? [[String: Any]])
        let names = Set(restated.compactMap { $0["report"] as? String })
        #expect(names.contains("cost_per_tool"), "\(names)")
        #expect(!names.contains("git_operations_by_type") && !names.contains("phase_time_breakdown") && !names.contains("realtime_events"), "\(names)")
        let cost = try #require(restated.first { $0["report"] as? String == "cost_per_tool" })
        let file = try #require((cost["files"] as? [[String: Any]])?.first)
        let previous = (before["files"] as! [[String: Any]]).first { $0["name"] as? String == "cost_per_tool.csv" }!
        #expect(file["name"] as? String == "cost_per_tool.csv" && file["previous_sha256"] as? String == previous["sha256"] as? String)
        #expect(file["sha256"] as? String == (try NightlyTests.sha256sum(folder + "/cost_per_tool.csv")))
        #expect(cost["previous_started_at"] as? String == before["started_at"] as? String)
        // The webhook of the restated night says so; the page shows it first.
        let last = try #require(try hook.saved(".json").last)
        let body = try TestEnvironment.json(last)
        #expect((body["text"] as? String)?.hasSuffix(", RESTATED") == true && (body["restated"] as? [String])?.contains("cost_per_tool") == true)
        let page = try String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        #expect(page.contains("<b>RESTATED.</b>") && page.contains("<b>cost_per_tool</b>"))
    }
}
