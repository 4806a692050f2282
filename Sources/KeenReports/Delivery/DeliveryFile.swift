import Foundation
import Yams

/// `nightly --deliver FILE`: where a night goes (DELIVERY.md). Read and
/// checked whole before the night reads anything: an unknown key, a missing
/// one or a bad value is a usage error (64) naming the file, the key and
/// the line. The password is never in it, only the name of a file that
/// gives nothing to others.
public struct DeliveryFile: Sendable {
    public struct SMTP: Sendable {
        public let url: String
        public let requireTLS: Bool
        public let caFile: String?
        public let username: String?
        public let passwordFile: String?
        /// The From header as written (`Name <address>` or an address).
        public let from: String
        /// The address alone, for the envelope.
        public let fromAddress: String
    }

    public struct Recipient: Sendable {
        public let name: String
        public let to: [String]
        public let events: Set<DeliveryEvent>
        public let attach: [String]
        public let maxAttachmentBytes: Int64
    }

    public struct Webhook: Sendable {
        public let name: String
        public let url: String
        public let events: Set<DeliveryEvent>
        public let caFile: String?
    }

    public let path: String
    public let smtp: SMTP?
    public let recipients: [Recipient]
    public let webhooks: [Webhook]

    /// Every target's name, recipients first.
    public var targetNames: [String] { recipients.map(\.name) + webhooks.map(\.name) }

    public static func load(path: String) throws(EngineError) -> DeliveryFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .usage("cannot read the delivery file \(path): \(String(cString: strerror(errno)))")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: String(decoding: data, as: UTF8.self))
        } catch {
            throw .usage("\(path): not YAML: \(error)")
        }
        return try DeliveryFile(path: path, root: root)
    }

    init(path: String, root: Node?) throws(EngineError) {
        self.path = path
        // A file of comments only (the package's example) delivers nothing.
        guard let root, !(root.scalar.map { $0.string.isEmpty } ?? false) else {
            smtp = nil; recipients = []; webhooks = []
            return
        }
        let top = try Fields(root, in: path, at: "the file", known: ["smtp", "recipients", "webhooks"])
        smtp = try top.node("smtp").map { node throws(EngineError) in try Self.smtp(Fields(node, in: path, at: "smtp", known: ["url", "tls", "ca_file", "username", "password_file", "from"])) }
        recipients = try top.list("recipients").enumerated().map { index, node throws(EngineError) in
            let fields = try Fields(node, in: path, at: "recipients[\(index)]", known: ["name", "to", "events", "attach", "max_attachment_mib"])
            let mebibytes = try fields.number("max_attachment_mib") ?? 10
            guard mebibytes > 0 else { throw fields.error("max_attachment_mib", "must be more than 0") }
            let to = try fields.strings("to", required: true)
            for address in to where !Self.isAddress(address) { throw fields.error("to", "'\(address.prefix(80))' is not an email address") }
            return Recipient(name: try fields.string("name", required: true)!, to: to, events: try fields.events(),
                             attach: try fields.strings("attach"), maxAttachmentBytes: Int64(mebibytes * 1_048_576))
        }
        webhooks = try top.list("webhooks").enumerated().map { index, node throws(EngineError) in
            let fields = try Fields(node, in: path, at: "webhooks[\(index)]", known: ["name", "url", "events", "ca_file"])
            let url = try fields.string("url", required: true)!
            try Self.checkURL(url, fields: fields, schemes: ["https", "http"])
            return Webhook(name: try fields.string("name", required: true)!, url: url, events: try fields.events(), caFile: try fields.string("ca_file"))
        }
        if !recipients.isEmpty && smtp == nil { throw .usage("\(path): recipients need an smtp section") }
        var seen = Set<String>()
        for name in targetNames where !seen.insert(name).inserted {
            throw .usage("\(path): the name '\(name.prefix(64))' is given to two recipients or webhooks")
        }
    }

    private static func smtp(_ fields: Fields) throws(EngineError) -> SMTP {
        let url = try fields.string("url", required: true)!
        try checkURL(url, fields: fields, schemes: ["smtp", "smtps"])
        let tls = try fields.string("tls") ?? "required"
        guard tls == "required" || tls == "none" else { throw fields.error("tls", "is required or none, not '\(tls.prefix(32))'") }
        let host = URLComponents(string: url)?.host ?? ""
        if tls == "none" && !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) {
            throw fields.error("tls", "none is for a relay on 127.0.0.1 only; \(host) would get the password and the files in the clear")
        }
        let username = try fields.string("username")
        let passwordFile = try fields.string("password_file")
        if username != nil && passwordFile == nil { throw fields.error("password_file", "is required with username") }
        if let passwordFile { try checkPasswordFile(passwordFile, fields: fields) }
        let from = try fields.string("from", required: true)!
        let address = from.firstIndex(of: "<").flatMap { start in from.lastIndex(of: ">").map { String(from[from.index(after: start)..<$0]) } } ?? from
        guard isAddress(address) else { throw fields.error("from", "'\(from.prefix(80))' has no email address") }
        return SMTP(url: url, requireTLS: tls == "required" && !url.hasPrefix("smtps:"), caFile: try fields.string("ca_file"),
                    username: username, passwordFile: passwordFile, from: from, fromAddress: address)
    }

    /// A URL with a user or password in it is refused: secrets go in files.
    private static func checkURL(_ url: String, fields: Fields, schemes: [String]) throws(EngineError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), schemes.contains(scheme),
              components.host?.isEmpty == false else {
            throw fields.error("url", "is not a \(schemes.joined(separator: " or ")) URL")
        }
        if components.user != nil || components.password != nil {
            throw fields.error("url", "holds a user or password; give username and password_file instead (the URL is not repeated here)")
        }
    }

    /// As ssh insists for keys: the file must give nothing to others.
    static func checkPasswordFile(_ path: String, fields: Fields) throws(EngineError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw fields.error("password_file", "\(path): \(String(cString: strerror(errno)))") }
        let mode = info.st_mode & 0o777
        guard mode & 0o007 == 0 else {
            throw fields.error("password_file", "\(path) has mode \(String(format: "%04o", mode)), which lets others read it; chmod o-rwx \(path)")
        }
    }

    /// The password, read when it is needed; its last line break dropped.
    func password() throws(EngineError) -> String? {
        guard let file = smtp?.passwordFile else { return nil }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .usage("cannot read the SMTP password file \(file): \(String(cString: strerror(errno)))")
        }
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }

    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0 == "\r" || $0 == "\n" })
    }
}

/// One mapping of the delivery file, read key by key with its line for errors.
struct Fields {
    let mapping: Node.Mapping
    let path: String
    let location: String

    init(_ node: Node, in path: String, at location: String, known: Set<String>) throws(EngineError) {
        guard let mapping = node.mapping else {
            throw .usage("\(path):\(node.mark?.line ?? 0): \(location) must be a mapping of keys")
        }
        self.mapping = mapping
        self.path = path
        self.location = location
        for (key, _) in mapping {
            let name = key.string ?? "?"
            guard known.contains(name) else {
                throw .usage("\(path):\(key.mark?.line ?? 0): unknown key '\(name.prefix(64))' in \(location) (known: \(known.sorted().joined(separator: ", ")))")
            }
        }
    }

    func node(_ key: String) -> Node? {
        mapping.first { $0.key.string == key }?.value
    }

    func error(_ key: String, _ problem: String) -> EngineError {
        .usage("\(path):\(node(key)?.mark?.line ?? mapping.mark?.line ?? 0): \(location).\(key) \(problem)")
    }

    func string(_ key: String, required: Bool = false) throws(EngineError) -> String? {
        guard let node = node(key) else {
            if required { throw .usage("\(path):\(mapping.mark?.line ?? 0): \(location) needs the key '\(key)'") }
            return nil
        }
        guard let scalar = node.scalar, !scalar.string.isEmpty else { throw error(key, "must be a text") }
        return scalar.string
    }

    func number(_ key: String) throws(EngineError) -> Double? {
        guard let node = node(key) else { return nil }
        guard let value = node.float ?? node.int.map(Double.init) else { throw error(key, "must be a number") }
        return value
    }

    func strings(_ key: String, required: Bool = false) throws(EngineError) -> [String] {
        guard let node = node(key) else {
            if required { throw .usage("\(path):\(mapping.mark?.line ?? 0): \(location) needs the key '\(key)'") }
            return []
        }
        guard let sequence = node.sequence else { throw error(key, "must be a list, like [a, b]") }
        var items: [String] = []
        for item in sequence {
            guard let scalar = item.scalar, !scalar.string.isEmpty else { throw error(key, "must hold texts") }
            items.append(scalar.string)
        }
        if required && items.isEmpty { throw error(key, "must not be empty") }
        return items
    }

    func list(_ key: String) throws(EngineError) -> [Node] {
        guard let node = node(key) else { return [] }
        guard let sequence = node.sequence else { throw error(key, "must be a list") }
        return Array(sequence)
    }

    func events() throws(EngineError) -> Set<DeliveryEvent> {
        var events = Set<DeliveryEvent>()
        for name in try strings("events", required: true) {
            guard let event = DeliveryEvent(rawValue: name) else {
                throw error("events", "has '\(name.prefix(32))', not one of clean, discrepancies, failed")
            }
            events.insert(event)
        }
        return events
    }
}
