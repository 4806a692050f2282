/// `websocket_connections`: the window's connections, unsorted, on the run's
/// snapshot. One reading of the rows counts per client type (all, closed,
/// open at the end, stale), the distinct users and sessions (the sessions
/// spilling to hash partitions on temporary files past memory, as
/// cost_per_tool's do), sums the closed
/// durations exactly in microseconds and counts them per bucket. A second
/// query returns only the durations in the buckets that hold a percentile's
/// rank (`TwoPassPercentiles`), filtered by the server. PostgreSQL sorts
/// nothing; memory stays flat.
enum WebsocketConnectionsAggregation: ReportAggregation {
    static let name = "websocket_connections"
    static let outputColumns = [
        "websocket_connections": ["client_type", "connections", "users", "sessions", "closed", "open_at_end", "stale",
                                  "avg_duration_s", "p50_duration_s", "p95_duration_s"],
    ]
    static let staleAfter: Int64 = 5 * 60 * 1_000_000

    private struct ClientType {
        var connections: Int64 = 0
        var closed: Int64 = 0
        var openAtEnd: Int64 = 0
        var stale: Int64 = 0
        var microseconds: Int128 = 0
        var durations = TwoPassPercentiles(fractions: [Fractions.p50, Fractions.p95])
    }

    /// One row of `websocket_connection_rows`: a connection of the window,
    /// its client type as the bytes of the COPY buffer (valid only during the callback).
    private struct Connection: QueryRow {
        let clientType: UnsafeRawBufferPointer
        let user: UInt128
        let session: UInt128?
        let connectedAt: Timestamp?
        let disconnectedAt: Timestamp?
        let lastPingAt: Timestamp?

        struct Columns {
            let clientType, user, session, connectedAt, disconnectedAt, lastPingAt: Int
        }

        static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
            Columns(clientType: try result.position(of: "client_type"), user: try result.position(of: "user_id"),
                    session: try result.position(of: "session_id"), connectedAt: try result.position(of: "connected_at"),
                    disconnectedAt: try result.position(of: "disconnected_at"), lastPingAt: try result.position(of: "last_ping_at"))
        }

        init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
            clientType = row.raw(columns.clientType)
            user = try row.uuidBits(columns.user)
            session = row.isNull(columns.session) ? nil : try row.uuidBits(columns.session)
            connectedAt = try row.timestamp(columns.connectedAt)
            disconnectedAt = try row.timestamp(columns.disconnectedAt)
            lastPingAt = try row.timestamp(columns.lastPingAt)
        }
    }

    /// One row of `websocket_connection_durations`: a closed connection
    /// whose duration falls in a bucket that holds a percentile's rank.
    private struct ClosedConnection: QueryRow {
        let clientType: UnsafeRawBufferPointer
        let connectedAt: Timestamp?
        let disconnectedAt: Timestamp?

        struct Columns {
            let clientType, connectedAt, disconnectedAt: Int
        }

        static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
            Columns(clientType: try result.position(of: "client_type"), connectedAt: try result.position(of: "connected_at"),
                    disconnectedAt: try result.position(of: "disconnected_at"))
        }

        init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
            clientType = row.raw(columns.clientType)
            connectedAt = try row.timestamp(columns.connectedAt)
            disconnectedAt = try row.timestamp(columns.disconnectedAt)
        }
    }

    static func run(_ context: ReportContext, outputs: ReportOutputs) throws {
        let end = context.parameters.window.to
        var types: [ClientType] = []
        var names = NameIndex(of: "client types")
        func index(of name: UnsafeRawBufferPointer) throws(EngineError) -> Int {
            let type = try names.index(of: name)
            if type == types.count { types.append(ClientType()) }
            return type
        }

        let sessions = try PartitionedIDToolCounter(perPartition: context.idsPerPartition, purpose: "websocket_connections'")
        var users = IDToolMap()
        try context.stream("websocket_connection_rows", as: Connection.self) { connection in
            let type = try index(of: connection.clientType)
            types[type].connections += 1
            users.add(connection.user, tool: type)
            if let session = connection.session { try sessions.add(session, tool: type) }
            let disconnected = connection.disconnectedAt
            if disconnected.map({ $0 >= end }) ?? true {
                types[type].openAtEnd += 1
                if let ping = connection.lastPingAt, ping.unixMicroseconds < end.unixMicroseconds - staleAfter { types[type].stale += 1 }
            }
            if let closed = disconnected, let opened = connection.connectedAt {
                let microseconds = closed.unixMicroseconds - opened.unixMicroseconds
                types[type].closed += 1
                types[type].microseconds += Int128(microseconds)
                types[type].durations.count(microseconds)
            }
        }
        // Each needed bucket as a range of intervals in whole microseconds, which PostgreSQL parses exactly.
        var ranges: (types: [String?], shortest: [String?], longest: [String?]) = ([], [], [])
        for type in types.indices {
            types[type].durations.plan()
            for values in types[type].durations.neededValues {
                ranges.types.append(String(decoding: names.names[type], as: UTF8.self))
                ranges.shortest.append("\(values.lowerBound) microseconds")
                ranges.longest.append("\(values.upperBound) microseconds")
            }
        }
        if !ranges.types.isEmpty {
            let more = ["client_types": ArrayLiteral.text(ranges.types), "shortest": ArrayLiteral.text(ranges.shortest),
                        "longest": ArrayLiteral.text(ranges.longest)]
            try context.stream("websocket_connection_durations", as: ClosedConnection.self, more: more) { connection in
                guard let opened = connection.connectedAt, let closed = connection.disconnectedAt else { return }
                types[try index(of: connection.clientType)].durations.collect(closed.unixMicroseconds - opened.unixMicroseconds)
            }
        }
        let sessionCounts = try sessions.countsPerTool()
        let userCounts = users.countsPerTool()

        // Microseconds as seconds, exactly (a shift of the scale), then rounded once.
        func seconds(_ microseconds: ExactDecimal) -> ExactDecimal { ExactDecimal(units: microseconds.units, scale: microseconds.scale + 6) }
        func written(_ seconds: ExactDecimal?) -> ReportValue { seconds.map { .decimal($0.rounded(toScale: 3)) } ?? .null }
        let output = outputs["websocket_connections"]
        for index in types.indices.sorted(by: { names.names[$0].lexicographicallyPrecedes(names.names[$1]) }) {
            let type = types[index]
            let average = type.closed > 0 ? seconds(ExactDecimal(units: type.microseconds, scale: 0)).divided(by: type.closed, scale: 3) : nil
            try output.write([
                "client_type": .text(String(decoding: names.names[index], as: UTF8.self)),
                "connections": .integer(type.connections),
                "users": .integer(index < userCounts.count ? userCounts[index] : 0),
                "sessions": .integer(index < sessionCounts.count ? sessionCounts[index] : 0),
                "closed": .integer(type.closed),
                "open_at_end": .integer(type.openAtEnd),
                "stale": .integer(type.stale),
                "avg_duration_s": written(average),
                "p50_duration_s": written(type.durations.percentile(Fractions.p50).map(seconds)),
                "p95_duration_s": written(type.durations.percentile(Fractions.p95).map(seconds)),
            ])
        }
    }
}
