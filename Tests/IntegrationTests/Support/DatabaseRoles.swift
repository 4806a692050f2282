import Foundation
@testable import KeenReports

/// Roles made by a test with the statements a document gives (the first
/// creates the role; the rest grant), once per cluster, grants per database.
enum DatabaseRoles {
    /// Creates the role if it is new and runs the grants in `adminURL`'s
    /// database; returns that URL with the role as its user (and
    /// `application_name`, to find its sessions).
    static func create(_ statements: [String], in adminURL: String, application: String? = nil) throws -> String {
        // Suites run in parallel and share roles: one creates, the others find it.
        try creating.withLock { try make(statements, in: adminURL, application: application) }
    }

    private static let creating = NSLock()

    private static func make(_ statements: [String], in adminURL: String, application: String?) throws -> String {
        let name = String(statements[0].split(separator: " ")[2])
        let admin = try PostgresConnection(ConnectionSettings(conninfo: adminURL))
        let exists = try admin.execute("SELECT count(*) FROM pg_roles WHERE rolname = $1", [name]).value(0, 0) == "1"
        for statement in statements.dropFirst(exists ? 1 : 0) { try admin.execute(statement) }
        var url = adminURL.replacingOccurrences(of: "postgresql://postgres@", with: "postgresql://\(name)@")
        if let application { url += (url.contains("?") ? "&" : "?") + "application_name=\(application)" }
        return url
    }
}

/// A digest of every row of every table of the public schema, so a test can
/// show that a writing command changed nothing but what it may.
struct TableDigests: Equatable {
    let digests: [String: String]

    /// `ignoring`: table → columns left out (the one a command may change).
    /// audit_log is digested up to `auditThrough` (its id), the rows that
    /// were there before.
    static func read(adminURL: String, ignoring: [String: [String]] = [:], auditThrough: Int64) throws -> TableDigests {
        let connection = try PostgresConnection(ConnectionSettings(conninfo: adminURL))
        let tables = try connection.execute("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1").rows.map { $0[0]! }
        var digests: [String: String] = [:]
        for table in tables {
            let filter = table == "audit_log" ? "WHERE id <= \(auditThrough)" : ""
            let sql = """
                SELECT md5(coalesce(string_agg(x, E'\\n' ORDER BY x), '')) FROM
                  (SELECT (to_jsonb(t) - $1::text[])::text AS x FROM public.\(table) t \(filter)) AS rows
                """
            digests[table] = try connection.execute(sql, [ArrayLiteral.text(ignoring[table] ?? [])]).value(0, 0)
        }
        return TableDigests(digests: digests)
    }
}

extension TestEnvironment {
    /// Rows of a statement on the database at `url`.
    static func query(_ sql: String, _ parameters: [String?] = [], url: String) throws -> [[String?]] {
        try PostgresConnection(ConnectionSettings(conninfo: url)).execute(sql, parameters).rows
    }

    /// The one number a statement returns.
    static func count(_ sql: String, url: String) throws -> Int {
        Int(try query(sql, url: url)[0][0] ?? "0") ?? 0
    }
}
