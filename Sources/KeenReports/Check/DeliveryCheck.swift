/// The delivery file of a night: valid, and its SMTP server answers,
/// speaks TLS and accepts the login. Nothing is sent, to the mail server or
/// to a webhook (a POST would be a message).
struct DeliveryCheck {
    let path: String

    func checks() -> [SetupCheck] {
        let file: DeliveryFile
        do {
            file = try DeliveryFile.load(path: path)
        } catch {
            return [.fail("delivery file", error)]
        }
        var checks: [SetupCheck] = [.ok("delivery file", "\(path): \(file.recipients.count) recipients, \(file.webhooks.count) webhooks")]
        guard let smtp = file.smtp, !file.recipients.isEmpty else { return checks }
        let outcome: Curl.Outcome
        do {
            outcome = try Curl().tryMailLogin(url: smtp.url, requireTLS: smtp.requireTLS, caFile: smtp.caFile, username: smtp.username,
                                              password: try file.password())
        } catch {
            return checks + [.fail("smtp", error)]
        }
        if outcome.succeeded {
            let how = smtp.url.hasPrefix("smtps:") ? "TLS" : smtp.requireTLS ? "STARTTLS" : "no TLS (a local relay)"
            checks.append(.ok("smtp", "\(smtp.url) answers over \(how)" + (smtp.username.map { ", and accepts the login of \($0)" } ?? "")))
        } else {
            // The night would still write every file, then exit 70 for the delivery.
            checks.append(.fail("smtp", EngineError(.engineFailure, "\(smtp.url): \(outcome.responseCode > 0 ? "SMTP \(outcome.responseCode): " : "")\(outcome.error)"),
                                fix: "check the server, its certificate (ca_file) and the login in \(path)"))
        }
        return checks
    }
}
