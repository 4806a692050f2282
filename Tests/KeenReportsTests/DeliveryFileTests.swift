import Foundation
import Testing
import Yams
@testable import KeenReports

/// The delivery file's rules, without a server: what is accepted, and each
/// refusal naming the key and the line.
@Suite struct DeliveryFileTests {
    static func parse(_ yaml: String) throws(EngineError) -> DeliveryFile {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch { throw .usage("\(error)") }
        return try DeliveryFile(path: "d.yaml", root: root)
    }

    static func refusal(_ yaml: String) -> String {
        do {
            _ = try parse(yaml)
            return "accepted"
        } catch {
            return error.status == .usage ? error.message : "status \(error.status)"
        }
    }

    @Test func theSpecsExampleIsAcceptedWithoutItsPasswordFile() throws {
        let file = try Self.parse("""
            webhooks:
              - name: ops-chat
                url: https://chat.internal/hooks/T0001/B0001/abc
                events: [failed]
            smtp:
              url: smtps://mail.internal:465
              from: "keen-reports <reports@keen.example>"
            recipients:
              - name: finance
                to: [finance@keen.example, controller@keen.example]
                events: [clean, discrepancies, failed]
                attach: [reconciliation.xlsx]
            """)
        #expect(file.targetNames == ["finance", "ops-chat"])
        #expect(file.smtp?.fromAddress == "reports@keen.example" && file.smtp?.requireTLS == false, "smtps is TLS from the start")
        #expect(file.recipients[0].maxAttachmentBytes == 10 * 1_048_576)
        #expect(file.webhooks[0].events == [.failed])
    }

    @Test func aFileOfCommentsDeliversNothing() throws {
        let file = try Self.parse("# nothing yet\n")
        #expect(file.targetNames.isEmpty && file.smtp == nil)
    }

    @Test(arguments: [
        ("smtp:\n  url: smtp://mail.internal:25\n  tls: none\n  from: r@keen.example\n", "d.yaml:3: smtp.tls none is for a relay on 127.0.0.1 only"),
        ("smtp:\n  url: smtp://mail.internal:25\n  tls: sometimes\n  from: r@keen.example\n", "d.yaml:3: smtp.tls is required or none, not 'sometimes'"),
        ("smtp:\n  url: smtp://mail.internal:25\n  username: keen\n  from: r@keen.example\n", "smtp.password_file is required with username"),
        ("smtp:\n  url: ftp://mail.internal\n  from: r@keen.example\n", "d.yaml:2: smtp.url is not a smtp or smtps URL"),
        ("webhooks:\n  - name: a\n    url: https://u:p@hooks.example/x\n    events: [failed]\n", "d.yaml:3: webhooks[0].url holds a user or password"),
        ("webhooks:\n  - name: a\n    url: https://hooks.example/x\n    on: [failed]\n", "d.yaml:4: unknown key 'on' in webhooks[0]"),
        ("webhooks:\n  - name: a\n    url: https://hooks.example/x\n", "webhooks[0] needs the key 'events'"),
        ("recipients:\n  - name: a\n    to: [a@keen.example]\n    events: [clean]\n", "recipients need an smtp section"),
        ("smtp:\n  url: smtp://m.example\n  from: r@keen.example\nrecipients:\n  - name: a\n    to: [not-an-address]\n    events: [clean]\n",
         "d.yaml:6: recipients[0].to 'not-an-address' is not an email address"),
        ("webhooks:\n  - name: a\n    url: https://h.example/1\n    events: [failed]\n  - name: a\n    url: https://h.example/2\n    events: [failed]\n",
         "the name 'a' is given to two recipients or webhooks"),
    ])
    func aBadValueIsRefusedNamingItsKeyAndLine(_ yaml: String, _ expected: String) {
        let refusal = Self.refusal(yaml)
        #expect(refusal.contains(expected), "\(refusal)")
    }
}

/// The MIME message as libcurl reads it: in small reads, base64 in lines of
/// at most 76 characters, every part closed.
@Suite struct MailMessageTests {
    @Test func anAttachmentIsStreamedInLinesAndComesBackWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keen-mail-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<300_001).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/big.csv"))
        let message = MailMessage(from: "Zoë <r@keen.example>", to: ["a@keen.example"], subject: "keen-reports 2026-11-26: clean", date: Date(),
                                  messageID: "<1@keen.example>", text: "hello\n", htmlFile: nil,
                                  attachments: [.init(path: folder + "/big.csv", name: "big.csv", contentType: "text/csv; charset=utf-8")])
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 1000)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try message.read(into: $0) }
            if count == 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.hasPrefix("From: =?UTF-8?B?Wm/Dqw==?= <r@keen.example>\r\n"))
        #expect(text.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 998 })
        let part = try #require(text.range(of: "filename=\"big.csv\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"))
        let body = text[part.upperBound...].prefix { $0 != "-" }
        let lines = body.split(separator: "\r\n")
        #expect(lines.dropLast().allSatisfy { $0.count == 76 })
        #expect(Data(base64Encoded: lines.joined()) == Data(bytes))
        #expect(text.hasSuffix("--\r\n"))
    }
}

/// The headline as people read it.
@Suite struct HeadlineFiguresTests {
    @Test func separatorsCentsPluralsAndChanges() {
        let figures = HeadlineFigures([(key: "sessions_started", value: .integer(1204)), (key: "total_cost", value: .string("1339.175106")),
                                       (key: "total_tokens", value: .integer(21_109_842)), (key: "discrepancies", value: .integer(1))],
                                      previous: ["sessions_started": .integer(1114), "total_cost": .string("1339.175106"), "discrepancies": .integer(0)])
        #expect(figures.figures.map(\.text) == ["1,204 sessions started (+8.1%)", "1,339.18 USD total session cost (±0%)",
                                                "21,109,842 tokens", "1 discrepancy"])
        #expect(HeadlineFigures.change(from: ExactDecimal(200), to: ExactDecimal(199)) == "-0.5%")
        #expect(HeadlineFigures.grouped(ExactDecimal("-1234567.891")!, places: 2) == "-1,234,567.89")
    }
}
