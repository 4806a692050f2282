import CLibPQ
import Foundation

/// One libpq connection. Every `PGconn*` of the engine lives in here.
///
/// A connection is not thread-safe: it belongs to the one thread that made
/// it. Results of small statements come back whole (`execute`); big results
/// are streamed with `COPY ... TO STDOUT` (`copyOut`), one chunk at a time.
public final class PostgresConnection {
    private let connection: OpaquePointer
    private let settings: ConnectionSettings

    /// Connects, or throws exit status 69 with libpq's reason, password-free.
    public init(_ settings: ConnectionSettings) throws(EngineError) {
        self.settings = settings
        guard let connection = PQconnectdb(settings.conninfo) else {
            throw .database("could not allocate a PostgreSQL connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = settings.redact(Self.oneLine(PQerrorMessage(connection)))
            PQfinish(connection)
            throw .database("cannot connect to PostgreSQL (\(settings.safeDescription)): \(reason); check --database-url, KEEN_DATABASE_URL or the PG* variables")
        }
        // Assigned only once connected: a throwing init with every property
        // set would run deinit and finish the connection a second time.
        self.connection = connection
        PQsetClientEncoding(connection, "UTF8")
        if let cancel = PQgetCancel(connection) { Interrupts.shared.register(ObjectIdentifier(self), cancel: cancel) }
    }

    deinit {
        if let cancel = Interrupts.shared.unregister(ObjectIdentifier(self)) { PQfreeCancel(cancel) }
        PQfinish(connection)
    }

    /// Runs one statement with text parameters `$1...$n` and returns its
    /// whole result. For statements with small results only.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws(EngineError) -> QueryResult {
        let result = withCStrings(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        let status = result.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK, let result else {
            let error = failure(result, doing: "query")
            if let result { PQclear(result) }
            throw error
        }
        return QueryResult(result)
    }

    /// Runs `COPY (...) TO STDOUT` and hands each chunk of data to `consume`
    /// as it arrives, so memory stays flat whatever the result's size. The
    /// chunk is only valid during the call.
    public func copyOut(_ copySQL: String, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let start = PQexec(connection, copySQL) else { throw failure(nil, doing: "COPY") }
        guard PQresultStatus(start) == PGRES_COPY_OUT else {
            let error = failure(start, doing: "COPY")
            PQclear(start)
            throw error
        }
        PQclear(start)
        var consumerError: Error?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(connection, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                // After a consumer error (a full disk, say) the server is
                // asked to stop, and what it already sent is drained so the
                // connection stays usable; the error is thrown at the end.
                if consumerError == nil {
                    do {
                        try consume(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                    } catch {
                        consumerError = error
                        cancelRunningStatement()
                    }
                }
                continue
            }
            if length == -1 { break }
            throw failure(nil, doing: "COPY")
        }
        let finalError = copyStatus()
        if let consumerError { throw consumerError }
        if let finalError { throw finalError }
    }

    /// `copyOut` of two COPYs at once, this connection's and `other`'s, read
    /// by this one thread: each chunk goes to `consume` with 0 (this
    /// connection's) or 1 (the other's) as it arrives. The two servers work
    /// side by side without a second client thread: two threads and two
    /// backends on two cores took turns (a seventh of the client's samples
    /// in context switches).
    public func copyOut(_ copySQL: String, alongside other: PostgresConnection, _ otherSQL: String,
                        _ consume: (Int, UnsafeRawBufferPointer) throws -> Void) throws {
        let connections = [self, other]
        for (connection, sql) in zip(connections, [copySQL, otherSQL]) {
            guard PQsendQuery(connection.connection, sql) == 1 else { throw connection.failure(nil, doing: "COPY") }
        }
        for connection in connections {
            let start = PQgetResult(connection.connection)
            defer { if let start { PQclear(start) } }
            guard let start, PQresultStatus(start) == PGRES_COPY_OUT else { throw connection.failure(start, doing: "COPY") }
        }
        var open = [true, true]
        var consumerError: Error?
        while open[0] || open[1] {
            var waiting: [Int] = []
            for index in 0..<2 where open[index] {
                let connection = connections[index]
                while true {
                    var buffer: UnsafeMutablePointer<CChar>?
                    let length = PQgetCopyData(connection.connection, &buffer, 1)
                    if length > 0, let buffer {
                        defer { PQfreemem(buffer) }
                        // As in copyOut: after a consumer error, both are stopped and drained.
                        if consumerError == nil {
                            do {
                                try consume(index, UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                            } catch {
                                consumerError = error
                                connections.forEach { $0.cancelRunningStatement() }
                            }
                        }
                        continue
                    }
                    if length == 0 { waiting.append(index) } else if length == -1 { open[index] = false } else {
                        throw connection.failure(nil, doing: "COPY")
                    }
                    break
                }
            }
            guard !waiting.isEmpty else { continue }
            // Nothing whole is buffered on these: wait until either has more.
            var sockets = waiting.map { pollfd(fd: PQsocket(connections[$0].connection), events: Int16(POLLIN), revents: 0) }
            if poll(&sockets, nfds_t(sockets.count), -1) < 0 && errno != EINTR {
                throw EngineError.database("cannot wait for the server's COPY data: \(String(cString: strerror(errno)))")
            }
            for (slot, index) in waiting.enumerated() where sockets[slot].revents != 0 {
                guard PQconsumeInput(connections[index].connection) == 1 else { throw connections[index].failure(nil, doing: "COPY") }
            }
        }
        let finalErrors = connections.map { $0.copyStatus() }
        if let consumerError { throw consumerError }
        if let finalError = finalErrors.compactMap({ $0 }).first { throw finalError }
    }

    /// A finished COPY's final status: its error, if it has one.
    private func copyStatus() -> EngineError? {
        var finalError: EngineError?
        while let result = PQgetResult(connection) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, finalError == nil { finalError = failure(result, doing: "COPY") }
            PQclear(result)
        }
        return finalError
    }

    /// The names of the columns `sql` returns, as the server describes it
    /// when it is prepared as the unnamed statement: parsed and analysed,
    /// not planned or run (`PQprepare`, `PQdescribePrepared`).
    public func columnNames(of sql: String) throws(EngineError) -> [String] {
        let prepared = PQprepare(connection, "", sql, 0, nil)
        defer { if let prepared { PQclear(prepared) } }
        guard let prepared, PQresultStatus(prepared) == PGRES_COMMAND_OK else { throw failure(prepared, doing: "query") }
        let described = PQdescribePrepared(connection, "")
        defer { if let described { PQclear(described) } }
        guard let described, PQresultStatus(described) == PGRES_COMMAND_OK else { throw failure(described, doing: "query") }
        return (0..<PQnfields(described)).map { String(cString: PQfname(described, $0)) }
    }

    /// The server as this connection reached it: host (or socket folder) and port.
    public var server: (host: String, port: String) {
        (PQhost(connection).map { String(cString: $0) } ?? "", PQport(connection).map { String(cString: $0) } ?? "")
    }

    /// `text` as an SQL string literal, quoted and escaped by libpq for this
    /// connection's encoding and settings (`PQescapeLiteral`).
    public func quoteLiteral(_ text: String) throws(EngineError) -> String {
        guard let quoted = PQescapeLiteral(connection, text, text.utf8.count) else {
            throw .engine("cannot quote a value: \(Self.oneLine(PQerrorMessage(connection)))")
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    /// Asks the server to cancel the statement in progress.
    public func cancelRunningStatement() {
        guard let cancel = PQgetCancel(connection) else { return }
        var errorBuffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &errorBuffer, Int32(errorBuffer.count))
        PQfreeCancel(cancel)
    }

    /// The error of a failed statement: 69 when the connection is gone, 70
    /// otherwise; a statement timeout or cancel is named as such.
    private func failure(_ result: OpaquePointer?, doing what: String) -> EngineError {
        let message = result.flatMap { PQresultErrorMessage($0) }.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? String(cString: PQerrorMessage(connection))
        let text = settings.redact(Self.oneLine(message))
        let sqlState = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        // A standby's replay cancelled the statement ("canceling statement due
        // to conflict with recovery") or ended an idle connection ("terminating
        // connection ..."): 40001, or 40P01 for a buffer-pin deadlock. The
        // engine's reads are read-only REPEATABLE READ and its writes READ
        // COMMITTED, so neither code can come from anything else.
        if sqlState == "40001" || sqlState == "40P01" {
            return EngineError(.engineFailure, "\(what) was cancelled by the standby: \(text)", recoveryConflict: true, sqlState: sqlState)
        }
        if PQstatus(connection) != CONNECTION_OK {
            return EngineError(.databaseUnavailable, "lost the connection to PostgreSQL during a \(what): \(text)", sqlState: sqlState)
        }
        switch sqlState {
        case "57014": return EngineError(.engineFailure, "\(what) was cancelled (statement timeout or interrupt): \(text)", sqlState: sqlState)
        case "42501": return EngineError(.permissionDenied, "\(what) refused: \(text); grant the role the privilege named", sqlState: sqlState)
        default: return EngineError(.engineFailure, "\(what) failed: \(text)", sqlState: sqlState)
        }
    }

    private static func oneLine(_ message: UnsafePointer<CChar>?) -> String {
        oneLine(message.map { String(cString: $0) } ?? "unknown error")
    }

    private static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }
}

/// Calls `body` with the strings as a C array of C strings (NULL for nil).
private func withCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let copies = strings.map { $0.flatMap { strdup($0) } }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}
