import Foundation

/// The server a unit of work read from, for the manifest: where it is, which
/// cluster (`system_identifier`), primary or standby, and on a standby how
/// far it had replayed when the snapshot was taken.
public struct ServerState: Sendable {
    public let host: String
    public let port: String
    public let systemIdentifier: String
    public let isStandby: Bool
    public let replayLSN: String?
    public let replayTimestamp: String?

    static func read(_ connection: PostgresConnection) throws(EngineError) -> ServerState {
        let row = try connection.execute("""
            SELECT pg_is_in_recovery()::text AS standby,
                   (SELECT system_identifier::text FROM pg_control_system()) AS system_identifier,
                   pg_last_wal_replay_lsn()::text AS replay_lsn,
                   to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS replay_timestamp
            """).rowsByName[0]
        let standby = row["standby"] == "true"
        let (host, port) = connection.server
        return ServerState(host: host, port: port, systemIdentifier: row["system_identifier"] ?? "", isStandby: standby,
                           replayLSN: standby ? row["replay_lsn"] : nil, replayTimestamp: standby ? row["replay_timestamp"] : nil)
    }

    var json: JSONValue {
        .object([("host", .string(host)), ("port", .string(port)), ("system_identifier", .string(systemIdentifier)),
                 ("role", .string(isStandby ? "standby" : "primary")),
                 ("replay_lsn", replayLSN.map(JSONValue.string) ?? .null),
                 ("replay_timestamp", replayTimestamp.map(JSONValue.string) ?? .null)])
    }

    var name: String { "\(host):\(port)" }
}
