/// What a writing command checks about its server and role before it reads
/// anything (WRITES.md): never a hot standby, and every privilege it will
/// use, so that a missing grant is one line naming it (exit 77), not a
/// failure half way.
struct WriteTarget {
    /// A privilege the command needs: the `has_*_privilege` call that tests
    /// it and the GRANT that gives it.
    struct Privilege {
        let check: String
        let grant: String
    }

    let command: String
    let privileges: [Privilege]

    /// `checkPrivileges` false for a dry run, which reads only.
    func verify(on connection: PostgresConnection, checkPrivileges: Bool = true) throws(EngineError) {
        if try connection.execute("SELECT pg_is_in_recovery()::text AS standby")["standby"] == "true" { throw standbyRefused }
        guard checkPrivileges else { return }
        if let missing = try grants(on: connection).first(where: { !$0.granted }) { throw missing.problem }
    }

    /// A hot standby cannot take the command's writes.
    var standbyRefused: EngineError {
        .usage("\(command) writes to the database and this server is a hot standby (read-only); run it against the primary")
    }

    /// Each privilege, whether the connected role has it, and the error when not.
    func grants(on connection: PostgresConnection) throws(EngineError) -> [(privilege: Privilege, granted: Bool, problem: EngineError)] {
        let role = try connection.execute("SELECT current_user::text AS role")["role"] ?? "?"
        var grants: [(privilege: Privilege, granted: Bool, problem: EngineError)] = []
        for privilege in privileges {
            // Fixed text of the engine's, no value: the object names are ours.
            let granted = try connection.execute("SELECT (\(privilege.check))::text AS granted")["granted"] == "true"
            grants.append((privilege, granted, .permission("role \(role) lacks \(privilege.grant) needed by \(command); GRANT \(privilege.grant) TO \(role)")))
        }
        return grants
    }

    static let marking = WriteTarget(command: "reconcile --mark", privileges: [
        Privilege(check: "has_column_privilege('credit_transactions', 'reconciliation_status', 'UPDATE')",
                  grant: "UPDATE (reconciliation_status) ON credit_transactions"),
        Privilege(check: "has_table_privilege('audit_log', 'INSERT')", grant: "INSERT ON audit_log"),
        Privilege(check: "has_sequence_privilege('audit_log_id_seq', 'USAGE')", grant: "USAGE ON SEQUENCE audit_log_id_seq"),
    ])

    static let rollup = WriteTarget(command: "rollup", privileges: [
        Privilege(check: "has_table_privilege('daily_usage_stats', 'SELECT')", grant: "SELECT ON daily_usage_stats"),
        Privilege(check: "has_table_privilege('daily_usage_stats', 'INSERT')", grant: "INSERT ON daily_usage_stats"),
        Privilege(check: "has_table_privilege('daily_usage_stats', 'UPDATE')", grant: "UPDATE ON daily_usage_stats"),
        Privilege(check: "has_table_privilege('daily_usage_stats', 'DELETE')", grant: "DELETE ON daily_usage_stats"),
    ])
}
