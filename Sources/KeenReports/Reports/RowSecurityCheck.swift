/// Refuses to report through row-level security that would hide rows.
///
/// RLS does not fail a query: a role it filters simply sees fewer rows, or
/// none. A report read that way is wrong with no error anywhere (a role with
/// SELECT but without BYPASSRLS saw zero sessions and a "clean" ledger), so
/// before reading, every table the run's queries name is checked for the
/// connected role:
///
/// - without a tenant (`--user-id`), RLS must not apply to it at all;
/// - with a tenant, RLS may apply, but some policy must admit the role
///   (the seed's `user_isolation_policy` admits `application_user` to the
///   tenant's sessions); a table no policy opens is hidden whole.
///
/// The tables are found as the words of the queries' SQL that name a table
/// of the search path: a word in a comment or an alias that happens to name
/// a table only adds a table to check, never removes one.
struct RowSecurityCheck {
    let queries: [QueryFile]
    /// The run reports on one tenant (`--user-id`).
    let tenant: Bool
    /// The command takes `--user-id`, so the error can suggest it.
    var offersTenant = false

    /// One table the queries read, as the connected role sees it.
    struct TableAccess {
        let table: String
        let role: String
        /// Why a report may not read it this way; nil when it may.
        let problem: EngineError?
    }

    func verify(on connection: PostgresConnection) throws(EngineError) {
        if let problem = try tables(on: connection).lazy.compactMap(\.problem).first { throw problem }
    }

    /// Every table the queries name, in name order, each with its problem.
    func tables(on connection: PostgresConnection) throws(EngineError) -> [TableAccess] {
        let words = Set(queries.flatMap(\.words)).sorted()
        let result = try connection.execute("""
            SELECT current_user::text AS role, c.relname::text AS "table", has_table_privilege(c.oid, 'SELECT') AS can_select,
                   row_security_active(c.oid) AS filtered,
                   EXISTS (SELECT 1 FROM pg_policies p
                           WHERE p.schemaname = n.nspname AND p.tablename = c.relname
                             AND p.permissive = 'PERMISSIVE' AND p.cmd IN ('ALL', 'SELECT')
                             AND ('public' = ANY (p.roles)
                                  OR EXISTS (SELECT 1 FROM unnest(p.roles) AS r(name)
                                             WHERE pg_has_role(current_user, r.name, 'MEMBER')))) AS admitted
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname = ANY (current_schemas(false))
              AND c.relname = ANY ($1::text[])
            ORDER BY c.relname
            """, ["{" + words.joined(separator: ",") + "}"])
        return result.rowsByName.map { row in
            let role = row["role"] ?? "?", table = row["table"] ?? "?"
            return TableAccess(table: table, role: role, problem: problem(table: table, role: role, select: row["can_select"] == "t",
                                                                         filtered: row["filtered"] == "t", admitted: row["admitted"] == "t"))
        }
    }

    private func problem(table: String, role: String, select: Bool, filtered: Bool, admitted: Bool) -> EngineError? {
        if !select {
            return .permission("role \(role) may not read table \(table); GRANT SELECT ON \(table) TO \(role)")
        }
        guard filtered else { return nil }
        if !tenant {
            return .permission("""
                row-level security filters table \(table) for role \(role), so its reports would silently \
                miss rows; report as a role with BYPASSRLS (ALTER ROLE \(role) BYPASSRLS) or as the table's \
                owner\(offersTenant ? ", or give --user-id to report on one tenant" : "")
                """)
        }
        if !admitted {
            return .permission("""
                row-level security hides every row of table \(table) from role \(role) (no policy admits it), \
                so this report cannot be made as that role; use a role with BYPASSRLS
                """)
        }
        return nil
    }
}
