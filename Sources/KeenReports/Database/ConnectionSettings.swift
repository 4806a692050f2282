import CLibPQ
import Foundation

/// Where to connect: `--database-url`, else `KEEN_DATABASE_URL`, else
/// `DATABASE_URL`, else libpq's own defaults (an empty conninfo string makes
/// libpq read PGHOST, PGPORT, PGUSER, ~/.pgpass, PGSERVICE, ...).
public struct ConnectionSettings: Sendable {
    /// A libpq connection URI or `key=value` string; may be empty.
    public let conninfo: String

    public init(conninfo: String) {
        self.conninfo = conninfo
    }

    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> ConnectionSettings {
        for candidate in [option, environment["KEEN_DATABASE_URL"], environment["DATABASE_URL"]] {
            if let candidate, !candidate.isEmpty { return ConnectionSettings(conninfo: candidate) }
        }
        return ConnectionSettings(conninfo: "")
    }

    /// The password written in the conninfo itself, if any.
    var password: String? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val {
                let password = String(cString: value)
                return password.isEmpty ? nil : password
            }
            option += 1
        }
        return nil
    }

    /// `text` with every trace of the password removed: the password itself
    /// (raw and percent-encoded) wherever it appears, and the whole conninfo.
    public func redact(_ text: String) -> String {
        var text = text
        if !conninfo.isEmpty { text = text.replacingOccurrences(of: conninfo, with: "<connection string>") }
        for secret in [password, password?.addingPercentEncoding(withAllowedCharacters: .alphanumerics)]
            .compactMap({ $0 }) where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "***")
        }
        return text
    }

    /// A description safe to print: host, port, database and user only.
    public var safeDescription: String {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return conninfo.isEmpty ? "libpq defaults" : "an unparsable connection string"
        }
        defer { PQconninfoFree(options) }
        var parts: [String] = []
        var option = options
        while let keyword = option.pointee.keyword {
            let name = String(cString: keyword)
            if ["host", "hostaddr", "port", "dbname", "user"].contains(name), let value = option.pointee.val {
                parts.append("\(name)=\(String(cString: value))")
            }
            option += 1
        }
        return parts.isEmpty ? "libpq defaults" : parts.joined(separator: " ")
    }
}
