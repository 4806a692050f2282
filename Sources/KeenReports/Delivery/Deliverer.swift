import Foundation
import Logging

/// Sends a day to the recipients and webhooks of a delivery file whose
/// events match its outcome (DELIVERY.md): one email per recipient, one POST
/// per webhook, each retried on a transient answer after 2, 4 and 8 s, and
/// what happened recorded in `<day>/deliveries.json`. Delivery never touches
/// the day's files and never fails silently: a target that was not reached
/// is `failed` there, and `anyFailed` makes the command exit 70.
public struct Deliverer: Sendable {
    /// What became of one target.
    public struct Outcome: Sendable {
        public enum Status: String, Sendable { case sent, failed, skipped }

        public let name: String
        public let kind: String
        public let status: Status
        public let attempts: Int
        public let lastAnswer: String
        public let attached: [String]
        public let leftOut: [(name: String, reason: String)]

        var json: JSONValue {
            .object([("name", .string(name)), ("kind", .string(kind)), ("status", .string(status.rawValue)),
                     ("attempts", .integer(Int64(attempts))), ("last_answer", .string(lastAnswer)),
                     ("attached", .array(attached.map(JSONValue.string))),
                     ("left_out", .array(leftOut.map { .object([("name", .string($0.name)), ("reason", .string($0.reason))]) }))])
        }
    }

    let file: DeliveryFile
    let log: Logger
    /// The pauses before each retry of a transient failure.
    var retryDelays: [Double] = [2, 4, 8]

    public init(file: DeliveryFile, log: Logger, retryDelays: [Double] = [2, 4, 8]) {
        self.file = file
        self.log = log
        self.retryDelays = retryDelays
    }

    /// Delivers `day` to every target whose events hold its outcome (of
    /// `only`, when given), records it beside the day's files and returns it.
    public func deliver(_ day: DeliveredDay, only: Set<String>? = nil) -> [Outcome] {
        var outcomes: [Outcome] = []
        let event = day.event
        /// The night's outcome is not one the target asked for.
        func skipped(_ name: String, _ kind: String, wants events: Set<DeliveryEvent>) -> Outcome? {
            if let event, events.contains(event) { return nil }
            return Outcome(name: name, kind: kind, status: .skipped, attempts: 0,
                           lastAnswer: "wants \(events.map(\.rawValue).sorted().joined(separator: ", ")), not \(event?.rawValue ?? "a held lock")",
                           attached: [], leftOut: [])
        }
        for recipient in file.recipients where only?.contains(recipient.name) ?? true {
            outcomes.append(skipped(recipient.name, "email", wants: recipient.events) ?? email(day, to: recipient))
        }
        for webhook in file.webhooks where only?.contains(webhook.name) ?? true {
            outcomes.append(skipped(webhook.name, "webhook", wants: webhook.events) ?? post(day, to: webhook))
        }
        for outcome in outcomes where outcome.status != .skipped {
            let metadata: Logger.Metadata = ["event": "delivery.\(outcome.status.rawValue)", "date": "\(day.date)", "target": "\(outcome.name)",
                                             "attempts": "\(outcome.attempts)"]
            if outcome.status == .sent {
                log.info("delivered \(day.date) to \(outcome.name) (\(outcome.kind))", metadata: metadata)
            } else {
                log.error("could not deliver \(day.date) to \(outcome.name) (\(outcome.kind)) after \(outcome.attempts) attempts: \(outcome.lastAnswer)", metadata: metadata)
            }
        }
        if let folder = day.folder { record(outcomes, of: day, in: folder) }
        return outcomes
    }

    public static func anyFailed(_ outcomes: [Outcome]) -> Bool { outcomes.contains { $0.status == .failed } }

    // MARK: - Email

    private func email(_ day: DeliveredDay, to recipient: DeliveryFile.Recipient) -> Outcome {
        guard let smtp = file.smtp else { preconditionFailure("the delivery file checked that recipients have smtp") }
        var attachments: [MailMessage.Attachment] = []
        var leftOut: [(name: String, reason: String)] = []
        for name in recipient.attach {
            guard let folder = day.folder, day.files[name] != nil || name == "index.html",
                  let size = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as? NSNumber)?.int64Value else {
                leftOut.append((name, "not written this night"))
                continue
            }
            guard size <= recipient.maxAttachmentBytes else {
                leftOut.append((name, "\(ByteCount.text(size)), over the \(ByteCount.text(recipient.maxAttachmentBytes)) limit: \(folder)/\(name)"))
                continue
            }
            attachments.append(MailMessage.Attachment(path: folder + "/" + name, name: name, contentType: MailMessage.contentType(of: name)))
        }
        let password: String?
        do { password = try file.password() } catch {
            return Outcome(name: recipient.name, kind: "email", status: .failed, attempts: 0, lastAnswer: error.message,
                           attached: [], leftOut: leftOut)
        }
        let domain = smtp.fromAddress.split(separator: "@").last.map(String.init) ?? "keen-reports"
        let result = attempt { () -> (Bool?, String) in
            let message = MailMessage(from: smtp.from, to: recipient.to, subject: "keen-reports \(day.date): \(day.statusLine)", date: Date(),
                                      messageID: "<\(UUID().uuidString.lowercased())@\(domain)>",
                                      text: Self.summary(day, leftOut: leftOut), htmlFile: day.page, attachments: attachments)
            let outcome: Curl.Outcome
            do {
                outcome = try Curl().sendMail(url: smtp.url, requireTLS: smtp.requireTLS, caFile: smtp.caFile, username: smtp.username,
                                              password: password, from: smtp.fromAddress, recipients: recipient.to, message: message)
            } catch {
                return (false, "\(error)")
            }
            let answer = outcome.responseCode > 0 ? "SMTP \(outcome.responseCode)" : "no answer"
            if outcome.succeeded { return (true, answer) }
            // 5xx is the server's final word; 4xx and a lost connection may pass.
            let transient = outcome.responseCode < 500
            return (transient ? nil : false, "\(answer): \(outcome.error)")
        }
        return Outcome(name: recipient.name, kind: "email", status: result.sent ? .sent : .failed, attempts: result.attempts,
                       lastAnswer: result.answer, attached: result.sent ? attachments.map(\.name) : [], leftOut: leftOut)
    }

    /// The text/plain part: status, headline with day-over-day changes,
    /// failed reports, restated reports, what was left out, where the files are.
    static func summary(_ day: DeliveredDay, leftOut: [(name: String, reason: String)]) -> String {
        var lines = ["keen-reports \(day.date): \(day.statusLine)", ""]
        if let failure = day.failure { lines += ["The night failed before it wrote the day: \(failure)", ""] }
        if let finance = day.finance, !finance.closedMonthAlerts.isEmpty { lines += finance.closedMonthAlerts + [""] }
        let headline = HeadlineFigures(day.headline, previous: day.previousHeadline)
        if !headline.figures.isEmpty { lines += headline.figures.map { "  " + $0.text } + [""] }
        if let finance = day.finance { lines += finance.lines + [""] }
        if !day.failedReports.isEmpty {
            lines += ["Failed reports:"] + day.failedReports.map { "  \($0.name): \($0.error)" } + [""]
        }
        if !day.restated.isEmpty {
            lines += ["RESTATED: this night replaced a day already delivered, and these reports changed: \(day.restated.joined(separator: ", "))", ""]
        }
        if !leftOut.isEmpty { lines += ["Not attached:"] + leftOut.map { "  \($0.name): \($0.reason)" } + [""] }
        if let folder = day.folder { lines.append("The day's files: \(folder)/") }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Webhooks

    private func post(_ day: DeliveredDay, to webhook: DeliveryFile.Webhook) -> Outcome {
        let body = Data(Self.webhookBody(day).serialized().utf8)
        let result = attempt { () -> (Bool?, String) in
            let outcome: Curl.Outcome
            do { outcome = try Curl().postJSON(url: webhook.url, caFile: webhook.caFile, body: body) } catch { return (false, "\(error)") }
            guard outcome.succeeded else { return (nil, outcome.error) }
            let answer = "HTTP \(outcome.responseCode)" + (outcome.responseBody.isEmpty ? "" : ": \(outcome.responseBody.prefix(200))")
            switch outcome.responseCode {
            case 200..<300: return (true, answer)
            case 429, 500..<600: return (nil, answer)
            default: return (false, answer)
            }
        }
        return Outcome(name: webhook.name, kind: "webhook", status: result.sent ? .sent : .failed, attempts: result.attempts,
                       lastAnswer: result.answer, attached: [], leftOut: [])
    }

    static func webhookBody(_ day: DeliveredDay) -> JSONValue {
        var text = "keen-reports \(day.date): \(day.statusLine)"
        if !day.failedReports.isEmpty { text += ": " + day.failedReports.map { "\($0.name) failed" }.joined(separator: ", ") }
        if let failure = day.failure { text += ": \(failure)" }
        return .object([
            ("text", .string(text)), ("date", .string(day.date.description)), ("status", .string(day.statusName)),
            ("exit_status", .integer(Int64(day.exitStatus.rawValue))), ("failed_reports", .array(day.failedReports.map { .string($0.name) })),
            ("discrepancies", .integer(day.discrepancies)), ("restated", .array(day.restated.map(JSONValue.string))),
            ("headline", .object(day.headline.map { ($0.key, $0.value) })), ("page", day.page.map(JSONValue.string) ?? .null),
        ])
    }

    // MARK: - Retries and the record

    /// Runs `send` until it succeeds, fails for good (false), or has been
    /// retried after every pause (nil: transient).
    private func attempt(_ send: () -> (Bool?, String)) -> (sent: Bool, attempts: Int, answer: String) {
        var attempts = 0
        while true {
            attempts += 1
            let (sent, answer) = send()
            if sent == true { return (true, attempts, answer) }
            guard sent == nil, attempts <= retryDelays.count else { return (false, attempts, answer) }
            Thread.sleep(forTimeInterval: retryDelays[attempts - 1])
        }
    }

    private func record(_ outcomes: [Outcome], of day: DeliveredDay, in folder: String) {
        let json = JSONValue.object([("date", .string(day.date.description)), ("delivered_at", .string(ReportRunner.now(in: .utc))),
                                     ("delivery_file", .string(file.path)), ("deliveries", .array(outcomes.map(\.json)))])
        do {
            let record = try AtomicFile(path: folder + "/deliveries.json")
            try record.write(json.serialized(indent: 0) + "\n")
            try record.commit()
        } catch {
            log.error("could not write \(folder)/deliveries.json: \(error)", metadata: ["event": "delivery.record_failed"])
        }
    }
}
