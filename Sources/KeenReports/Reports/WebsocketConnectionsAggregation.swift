/// `websocket_connections`: PostgreSQL counts per client type and sends the
/// closed connections' durations in ascending order, each distinct one with
/// its count; Swift picks the percentile ranks as they pass (their total is
/// known from the counts), so no connection is held, and turns microseconds
/// into seconds exactly.
enum WebsocketConnectionsAggregation: ReportAggregation {
    static let name = "websocket_connections"
    static let outputColumns = [
        "websocket_connections": ["client_type", "connections", "users", "sessions", "closed", "open_at_end", "stale",
                                  "avg_duration_s", "p50_duration_s", "p95_duration_s"],
    ]

    private struct Totals {
        let row: [ReportValue]
        let closed: Int64
        let closedMicroseconds: ExactDecimal
    }

    static func run(_ context: ReportContext, outputs: ReportOutputs) throws {
        var totals: [(clientType: String, totals: Totals)] = []
        try context.stream("websocket_connection_totals") { row in
            let clientType = row.text(0) ?? ""
            totals.append((clientType, Totals(row: [.text(clientType), .integer(try row.integer(1)), .integer(try row.integer(2)),
                                                    .integer(try row.integer(3)), .integer(try row.integer(4)),
                                                    .integer(try row.integer(5)), .integer(try row.integer(6))],
                                              closed: try row.integer(4) ?? 0, closedMicroseconds: try row.decimal(7) ?? .zero)))
        }
        let output = outputs["websocket_connections"]
        var next = 0
        var current: (clientType: String, percentiles: StreamingPercentiles)?

        // Microseconds as seconds, exactly (a shift of the scale), then rounded once.
        func seconds(_ microseconds: ExactDecimal) -> ExactDecimal { ExactDecimal(units: microseconds.units, scale: microseconds.scale + 6) }
        func written(_ seconds: ExactDecimal?) -> ReportValue { seconds.map { .decimal($0.rounded(toScale: 3)) } ?? .null }
        // Writes the client types before `clientType` (all when nil), each
        // with the percentiles read for it.
        func write(upTo clientType: String?) throws {
            while next < totals.count, clientType.map({ totals[next].clientType != $0 }) ?? true {
                let (type, figures) = totals[next]
                let percentiles = current?.clientType == type ? current?.percentiles : nil
                let average = figures.closed > 0 ? seconds(figures.closedMicroseconds).divided(by: figures.closed, scale: 3) : nil
                try output.write(figures.row + [written(average), written(percentiles?.percentile(Fractions.p50).map(seconds)),
                                                written(percentiles?.percentile(Fractions.p95).map(seconds))])
                next += 1
            }
        }
        try context.stream("websocket_connection_durations") { row in
            let clientType = row.text(0) ?? ""
            if current?.clientType != clientType {
                try write(upTo: clientType)
                guard next < totals.count else {
                    throw EngineError.engine("websocket_connection_durations returned client type '\(clientType)' the totals do not have")
                }
                current = (clientType, StreamingPercentiles(total: totals[next].totals.closed, fractions: [Fractions.p50, Fractions.p95]))
            }
            current?.percentiles.add(try row.integer(1) ?? 0, count: try row.integer(2) ?? 0)
        }
        try write(upTo: nil)
    }
}
