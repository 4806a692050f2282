import Foundation

/// Before a snapshot is taken on a hot standby, makes sure the standby has
/// replayed what the window needs, so a report from a lagging standby is
/// never yesterday's numbers with rows missing:
///
/// - with `--primary-url`: up to the primary's current WAL insert position,
///   read now (exact, and right even when the primary is idle);
/// - without: until `pg_last_xact_replay_timestamp()` is at or after the
///   window's end, or the WAL receiver's evidence says the standby holds
///   the window: the primary's last keepalive (`pg_stat_wal_receiver`'s
///   `latest_end_time`, about every `wal_sender_timeout / 2` even when the
///   primary is idle) came `asyncCommitMargin` after the window's end, and
///   replay has reached the position it reported (`latest_end_lsn`). When
///   no evidence can come (no WAL receiver, replay paused) it fails at once.
///
/// It waits at most `ReplicaOptions.waitSeconds`, then fails with exit 75.
/// A paused replay is named as such (`pg_get_wal_replay_pause_state()`,
/// not `pg_is_wal_replay_paused()`, which only says a pause was asked).
enum StandbyFreshness {
    /// How long after the window's end the primary's keepalive must be: a
    /// transaction committed with `synchronous_commit = off` is visible
    /// before its WAL is flushed, and the WAL writer flushes it within three
    /// `wal_writer_delay`s (200 ms by default); the keepalive reports only
    /// what was sent, so ten seconds covers delays up to 3.3 s.
    static let asyncCommitMargin = 10

    /// What the standby is asked to have replayed, and the SQL condition
    /// that says it has: the primary's WAL position read now, or the
    /// window's end.
    struct Target {
        let position: String
        let condition: String
        let fromPrimary: Bool

        init(windowEnd: Timestamp, primary: ConnectionSettings?) throws(EngineError) {
            fromPrimary = primary != nil
            if let primary {
                let primaryConnection = try PostgresConnection(primary)
                // The insert position, not pg_current_wal_lsn(): a transaction
                // committed with synchronous_commit = off can sit in the WAL
                // buffers past the write position, committed and visible.
                position = try primaryConnection.execute("SELECT pg_current_wal_insert_lsn()::text AS position")["position"] ?? "0/0"
                condition = "pg_last_wal_replay_lsn() >= $1::pg_lsn"
            } else {
                position = windowEnd.utcText
                condition = """
                    pg_last_xact_replay_timestamp() >= $1::timestamptz
                    OR (r.latest_end_time >= $1::timestamptz + interval '\(asyncCommitMargin) seconds'
                        AND pg_last_wal_replay_lsn() >= r.latest_end_lsn)
                    """
            }
        }

        /// What the standby is waited for, in words.
        var wanted: String {
            fromPrimary ? "the primary's WAL position \(position)"
                : "a transaction replayed at or after \(position), the end of the window, or a keepalive of the primary after it"
        }
    }

    /// One look at the standby.
    struct Reading {
        let holdsTarget: Bool
        let replayLSN: String
        /// When the last replayed transaction committed, or "never".
        let lastTransaction: String
        let paused: Bool
        let streaming: Bool
        /// The WAL receiver's positions are visible to this role.
        let keepalivesVisible: Bool

        /// Why nothing can make the standby fresh without --primary-url, or nil.
        var hopeless: String? {
            paused ? "replay is paused (pg_wal_replay_resume())"
                : !streaming ? "it has no WAL receiver (not streaming from a primary)" : nil
        }

        /// How far the standby is, for a line that says it is behind.
        func behind(_ target: Target) -> String {
            guard !target.fromPrimary else { return "it has replayed up to \(replayLSN)" }
            return "its last replayed transaction committed at \(lastTransaction)"
                + (keepalivesVisible ? " and no keepalive of the primary came \(asyncCommitMargin) s after it"
                   : " and the WAL receiver's positions are hidden from this role (GRANT pg_read_all_stats lets it use the primary's keepalives)")
                + "; or pass --primary-url to wait for the primary's WAL position"
        }
    }

    static func read(_ connection: PostgresConnection, _ target: Target) throws(EngineError) -> Reading {
        let row = try connection.execute("""
            SELECT coalesce((\(target.condition)), false)::text AS holds_target, pg_last_wal_replay_lsn()::text AS replay_lsn,
                   coalesce(to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'never') AS last_transaction,
                   pg_get_wal_replay_pause_state() AS pause_state, (r.pid IS NOT NULL)::text AS streaming,
                   (r.latest_end_time IS NOT NULL)::text AS keepalives_visible
            FROM (SELECT 1) AS one LEFT JOIN pg_stat_wal_receiver r ON true
            """, [target.position]).rowsByName[0]
        return Reading(holdsTarget: row["holds_target"] == "true", replayLSN: row["replay_lsn"] ?? "?",
                       lastTransaction: row["last_transaction"] ?? "?", paused: row["pause_state"] == "paused",
                       streaming: row["streaming"] == "true", keepalivesVisible: row["keepalives_visible"] == "true")
    }

    static func ensure(_ connection: PostgresConnection, windowEnd: Timestamp, options: ReplicaOptions) throws(EngineError) -> ServerState {
        let state = try ServerState.read(connection)
        guard state.isStandby else { return state }
        let target = try Target(windowEnd: windowEnd, primary: options.primary)
        let deadline = Date().addingTimeInterval(options.waitSeconds)
        let receiverGrace = Date().addingTimeInterval(min(6, options.waitSeconds))
        var told = false
        while true {
            let reading = try read(connection, target)
            if reading.holdsTarget { return try ServerState.read(connection) }
            let paused = reading.paused ? "; replay is paused on the standby (pg_wal_replay_resume())" : ""
            // A WAL receiver that is (re)starting comes back within
            // wal_retrieve_retry_interval (5 s by default): it gets that long.
            if !target.fromPrimary, let hopeless = reading.hopeless, reading.paused || Date() >= receiverGrace {
                // Nothing will make it fresh: say so now rather than after --replica-wait.
                throw EngineError(.locked, """
                    the standby \(state.name) cannot show it holds the window up to \(target.position): \(hopeless), \
                    and its last replayed transaction committed at \(reading.lastTransaction); nothing was written; \
                    resume replay, or pass --primary-url to wait for the primary's WAL position
                    """)
            }
            if Date() >= deadline {
                throw EngineError(.locked, """
                    the standby \(state.name) has not replayed \(target.wanted) within \(Self.duration(options.waitSeconds)): \
                    \(reading.behind(target))\(paused); nothing was written, try again later
                    """)
            }
            if !told {
                options.log.notice("waiting up to \(Self.duration(options.waitSeconds)) for the standby \(state.name) to replay \(target.wanted) (now at \(reading.replayLSN), last transaction \(reading.lastTransaction)\(paused))",
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
