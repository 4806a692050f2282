import Foundation

/// Before a snapshot is taken on a hot standby, makes sure the standby has
/// replayed what the window needs, so a report from a lagging standby is
/// never yesterday's numbers with rows missing:
///
/// - with `--primary-url`: up to the primary's current WAL insert position,
///   read now (exact, and right even when the primary is idle);
/// - without: until `pg_last_xact_replay_timestamp()` is at or after the
///   window's end. An idle primary commits nothing, so the timestamp can
///   stay before the end: the error then says to pass `--primary-url`.
///
/// It waits at most `ReplicaOptions.waitSeconds`, then fails with exit 75.
/// A paused replay is named as such (`pg_get_wal_replay_pause_state()`,
/// not `pg_is_wal_replay_paused()`, which only says a pause was asked).
enum StandbyFreshness {
    static func ensure(_ connection: PostgresConnection, windowEnd: Timestamp, options: ReplicaOptions) throws(EngineError) -> ServerState {
        let state = try ServerState.read(connection)
        guard state.isStandby else { return state }
        let target: String
        let condition: String
        if let primary = options.primary {
            let primaryConnection = try PostgresConnection(primary)
            // The insert position, not pg_current_wal_lsn(): a transaction
            // committed with synchronous_commit = off can sit in the WAL
            // buffers past the write position, committed and visible.
            target = try primaryConnection.execute("SELECT pg_current_wal_insert_lsn()::text").value(0, 0) ?? "0/0"
            condition = "pg_last_wal_replay_lsn() >= $1::pg_lsn"
        } else {
            target = windowEnd.utcText
            condition = "pg_last_xact_replay_timestamp() >= $1::timestamptz"
        }
        let deadline = Date().addingTimeInterval(options.waitSeconds)
        var told = false
        while true {
            let row = try connection.execute("""
                SELECT (\(condition))::text, pg_last_wal_replay_lsn()::text,
                       coalesce(to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'never'),
                       pg_get_wal_replay_pause_state()
                """, [target]).rows[0]
            if row[0] == "true" { return try ServerState.read(connection) }
            let paused = row[3] == "paused" ? "; replay is paused on the standby (pg_wal_replay_resume())" : ""
            let wanted = options.primary == nil ? "a transaction replayed at or after \(target), the end of the window"
                                                : "the primary's WAL position \(target)"
            if Date() >= deadline {
                let behind = options.primary == nil
                    ? "its last replayed transaction committed at \(row[2] ?? "?")"
                        + " (if the primary is idle, nothing newer may come: pass --primary-url to wait for its WAL position)"
                    : "it has replayed up to \(row[1] ?? "?")"
                throw EngineError(.locked, """
                    the standby \(state.name) has not replayed \(wanted) within \(Self.duration(options.waitSeconds)): \
                    \(behind)\(paused); nothing was written, try again later
                    """)
            }
            if !told {
                options.log.notice("waiting up to \(Self.duration(options.waitSeconds)) for the standby \(state.name) to replay \(wanted) (now at \(row[1] ?? "?"), last transaction \(row[2] ?? "?")\(paused))",
                                   metadata: ["event": "standby.waiting", "server": "\(state.name)"])
                told = true
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    static func duration(_ seconds: Double) -> String {
        seconds >= 60 && seconds.truncatingRemainder(dividingBy: 60) == 0 ? "\(Int(seconds / 60))min" : "\(seconds.formatted())s"
    }
}
