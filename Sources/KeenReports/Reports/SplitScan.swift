import Foundation

/// `run --jobs N` for a report whose definition allows it (`split`): N
/// connections, all on the run's exported snapshot, each read one block
/// range of the table with the report's query, sorted as the query says;
/// this thread merges the N sorted streams on the definition's order columns
/// and writes the rows, so the files are byte-identical to a one-connection
/// run. PostgreSQL sorts the N parts at once, on as many cores.
struct SplitScan {
    let query: QueryFile
    let parameters: ReportParameters
    let settings: ConnectionSettings
    let snapshot: String
    let statementTimeout: String
    /// (output column index, type) of each sort key, most significant first.
    let order: [(index: Int, type: ReportColumn.ValueType)]

    func run(_ ranges: [ScanRange], into output: ReportOutput) throws {
        let streams = ranges.map { _ in RowBatchQueue(capacity: 4) }
        let group = DispatchGroup()
        for (range, queue) in zip(ranges, streams) {
            group.enter()
            let job = SplitJob(query: query, settings: settings, snapshot: snapshot, parameters: parameters, range: range,
                               statementTimeout: statementTimeout)
            Thread.detachNewThread {
                defer { group.leave() }
                job.stream(into: queue)
            }
        }
        defer {
            // On an error here, let the readers finish (they stop when their
            // queue is abandoned) before the connections go away.
            streams.forEach { $0.abandon() }
            group.wait()
        }
        var cursors = streams.map(TupleCursor.init)
        for index in cursors.indices { try cursors[index].advance() }
        while true {
            var smallest: Int?
            for index in cursors.indices where cursors[index].hasRow {
                if let current = smallest, !precedes(cursors[index], cursors[current]) { continue }
                smallest = index
            }
            guard let next = smallest else { break }
            try cursors[next].withRow { try output.write(record: $0) }
            try cursors[next].advance()
        }
    }

    /// Whether `a`'s current row sorts before `b`'s (ties: not before), as
    /// PostgreSQL orders them: ascending, NULLs last, text in byte order.
    private func precedes(_ a: TupleCursor, _ b: TupleCursor) -> Bool {
        for (index, type) in order {
            let left = a.field(index)
            let right = b.field(index)
            switch (left, right) {
            case (nil, nil): continue
            case (nil, _): return false
            case (_, nil): return true
            case let (left?, right?):
                let comparison: Int
                switch type {
                case .timestamp, .integer, .date:
                    let l = Self.signed(left), r = Self.signed(right)
                    comparison = l < r ? -1 : (l > r ? 1 : 0)
                default:
                    comparison = Self.compareBytes(left, right)
                }
                if comparison != 0 { return comparison < 0 }
            }
        }
        return false
    }

    private static func signed(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        switch bytes.count {
        case 2: Int64(bytes.loadBigEndian(Int16.self, at: 0))
        case 4: Int64(bytes.loadBigEndian(Int32.self, at: 0))
        default: bytes.loadBigEndian(Int64.self, at: 0)
        }
    }

    private static func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let result = memcmp(a.baseAddress!, b.baseAddress!, common)
            if result != 0 { return Int(result) }
        }
        return a.count - b.count
    }
}

/// One connection's part of a split scan, run on its own thread.
private struct SplitJob: @unchecked Sendable {
    let query: QueryFile
    let settings: ConnectionSettings
    let snapshot: String
    let parameters: ReportParameters
    let range: ScanRange
    let statementTimeout: String

    /// Streams the query's rows into `queue` as batches of tuples, each
    /// tuple as binary COPY encodes it (field count, then length and bytes
    /// per field).
    func stream(into queue: RowBatchQueue) {
        do {
            let connection = try PostgresConnection(settings)
            let transaction = try ReportTransaction(connection: connection, parameters: parameters, statementTimeout: statementTimeout,
                                                    snapshot: snapshot, readOnly: true, range: range)
            var batch = RowBatch(capacity: RowBatch.targetSize)
            try transaction.stream(query) { row in
                batch.append(row)
                if batch.count >= RowBatch.targetSize {
                    guard queue.push(batch) else { throw CancellationError() }
                    batch = RowBatch(capacity: RowBatch.targetSize)
                }
            }
            try transaction.commit()
            if batch.count > 0 { _ = queue.push(batch) } else { batch.release() }
            queue.finish(nil)
        } catch {
            queue.finish(error)
        }
    }
}

/// Tuples copied out of a COPY stream into memory this side owns.
struct RowBatch: @unchecked Sendable {
    static let targetSize = 1 << 18

    private(set) var storage: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        storage = .allocate(byteCount: capacity, alignment: 8)
    }

    mutating func append(_ row: CopyRow) {
        var needed = 2
        for index in 0..<row.count { needed += 4 + row.raw(index).count }
        if count + needed > capacity {
            let grown = UnsafeMutableRawPointer.allocate(byteCount: max(capacity * 2, count + needed), alignment: 8)
            grown.copyMemory(from: storage, byteCount: count)
            storage.deallocate()
            storage = grown
            capacity = max(capacity * 2, count + needed)
        }
        store(Int16(row.count).bigEndian)
        for index in 0..<row.count {
            let field = row.raw(index)
            store((row.isNull(index) ? Int32(-1) : Int32(field.count)).bigEndian)
            if field.count > 0 {
                (storage + count).copyMemory(from: field.baseAddress!, byteCount: field.count)
                count += field.count
            }
        }
    }

    private mutating func store<T: FixedWidthInteger>(_ value: T) {
        (storage + count).storeBytes(of: value, as: T.self)
        count += MemoryLayout<T>.size
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    func release() { storage.deallocate() }
}

/// A bounded hand-over of batches from one reader thread to the merging
/// thread; the reader waits when the merger falls behind, so memory stays
/// at a few batches per connection.
final class RowBatchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [RowBatch] = []
    private let capacity: Int
    private var finished = false
    private var abandoned = false
    private var failure: Error?

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// False when the merger gave up; the batch is released then.
    func push(_ batch: RowBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !abandoned { condition.wait() }
        guard !abandoned else { batch.release(); return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    func finish(_ error: Error?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; nil at the end. Throws the reader's error.
    func pop() throws -> RowBatch? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        if let failure { throw failure }
        guard !batches.isEmpty else { return nil }
        condition.broadcast()
        return batches.removeFirst()
    }

    /// The merger stops reading: waiting and later batches are released.
    func abandon() {
        condition.lock()
        abandoned = true
        batches.forEach { $0.release() }
        batches.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// The merger's position in one reader's stream of batches.
struct TupleCursor {
    private let queue: RowBatchQueue
    private var batch: RowBatch?
    private var offset = 0
    private var starts: [Int] = []
    private var lengths: [Int32] = []
    private(set) var hasRow = false

    init(_ queue: RowBatchQueue) {
        self.queue = queue
    }

    /// Moves to the next tuple, fetching the next batch when this one is done.
    mutating func advance() throws {
        if let current = batch, offset >= current.count {
            current.release()
            batch = nil
        }
        if batch == nil {
            batch = try queue.pop()
            offset = 0
            guard batch != nil else { hasRow = false; return }
        }
        let bytes = batch!.bytes
        let fields = Int(bytes.loadBigEndian(Int16.self, at: offset))
        var position = offset + 2
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        for _ in 0..<fields {
            let length = bytes.loadBigEndian(Int32.self, at: position)
            position += 4
            starts.append(position)
            lengths.append(length)
            if length > 0 { position += Int(length) }
        }
        offset = position
        hasRow = true
    }

    /// The current tuple's field, nil for NULL.
    func field(_ index: Int) -> UnsafeRawBufferPointer? {
        guard lengths[index] >= 0 else { return nil }
        return UnsafeRawBufferPointer(rebasing: batch!.bytes[starts[index]..<(starts[index] + Int(lengths[index]))])
    }

    func withRow(_ body: (CopyRow) throws -> Void) throws {
        try starts.withUnsafeBufferPointer { starts in
            try lengths.withUnsafeBufferPointer { lengths in
                try body(CopyRow(bytes: batch!.bytes, starts: starts, lengths: lengths))
            }
        }
    }
}
