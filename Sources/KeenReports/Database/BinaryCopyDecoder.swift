/// Decodes the byte stream of `COPY ... TO STDOUT (FORMAT binary)` into rows.
///
/// Format (PostgreSQL docs, "Binary Format" of COPY): an 11-byte signature,
/// a 32-bit flags word and a header-extension length, then one tuple after
/// another: a 16-bit field count (-1 ends the data), then per field a 32-bit
/// length (-1 for NULL) and that many bytes. All integers are big-endian.
///
/// The server sends whole tuples per CopyData message, but the decoder does
/// not rely on it: a tuple split across chunks is carried over. Field
/// positions live in memory kept for the whole stream, so decoding allocates
/// nothing per row, and a row (a chunk, as the server sends them) costs no
/// array bookkeeping either.
public final class BinaryCopyDecoder {
    static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    private var headerSeen = false
    private var finished = false
    private var carry: [UInt8] = []
    /// Where each field of the tuple being read starts (from the tuple's
    /// start), and its length; until it is read, the tuple before's.
    private var fieldStarts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 0)
    private var fieldLengths = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 0)
    /// How many of those hold a tuple's fields (none before the first).
    private var knownFields = 0
    public private(set) var rowsDecoded = 0

    public init() {}

    deinit {
        fieldStarts.deallocate()
        fieldLengths.deallocate()
    }

    /// Decodes every complete tuple in `chunk` (after what an earlier chunk
    /// left over), calling `onRow` for each.
    public func decode(_ chunk: UnsafeRawBufferPointer, _ onRow: (CopyRow) throws -> Void) throws {
        if carry.isEmpty {
            let used = try decodeComplete(chunk, onRow)
            if used < chunk.count { carry.append(contentsOf: chunk[used...]) }
        } else {
            carry.append(contentsOf: chunk)
            let pending = carry
            let used = try pending.withUnsafeBytes { try decodeComplete($0, onRow) }
            carry.removeFirst(used)
        }
    }

    /// Throws unless the stream ended with the trailer and nothing after it.
    public func finish() throws(EngineError) {
        guard finished, carry.isEmpty else { throw .engine("binary COPY stream ended early, after \(rowsDecoded) rows") }
    }

    /// Decodes the complete tuples at the start of `bytes`; returns how many
    /// bytes they used.
    private func decodeComplete(_ bytes: UnsafeRawBufferPointer, _ onRow: (CopyRow) throws -> Void) throws -> Int {
        var position = 0
        if !headerSeen {
            guard bytes.count >= 19 else { return 0 }
            guard Array(bytes[0..<11]) == Self.signature else { throw EngineError.engine("not a binary COPY stream") }
            let extensionLength = Int(bytes.loadBigEndian(Int32.self, at: 15))
            guard bytes.count >= 19 + extensionLength else { return 0 }
            position = 19 + extensionLength
            headerSeen = true
        }
        while position + 2 <= bytes.count {
            guard !finished else { throw EngineError.engine("data after the end of a binary COPY stream") }
            let fieldCount = Int(bytes.loadBigEndian(Int16.self, at: position))
            if fieldCount == -1 {
                finished = true
                position += 2
                continue
            }
            guard fieldCount >= 0 else { throw EngineError.engine("binary COPY tuple with \(fieldCount) fields") }
            // Find every field of the tuple before handing it on. The
            // positions change size only when the field count does (never
            // within one query).
            if fieldStarts.count != fieldCount {
                fieldStarts.deallocate()
                fieldLengths.deallocate()
                fieldStarts = .allocate(capacity: fieldCount)
                fieldLengths = .allocate(capacity: fieldCount)
                knownFields = 0
            }
            let tuple = UnsafeRawBufferPointer(rebasing: bytes[position...])
            guard let size = locateFields(in: tuple) else { break }
            try onRow(CopyRow(bytes: tuple, starts: UnsafeBufferPointer(fieldStarts), lengths: UnsafeBufferPointer(fieldLengths)))
            rowsDecoded += 1
            position += size
        }
        return position
    }

    /// Fills in where each field of the tuple at the start of `tuple` starts
    /// and how long it is; returns the tuple's size, or nil when it does not
    /// end within `tuple`.
    ///
    /// Walking the lengths makes each load wait for the one before (a tenth
    /// of cost_per_tool's client time, perf). So the fields are first looked
    /// for where the tuple before had them: while each is as long as there,
    /// the next one is where it was too, and those loads do not wait on each
    /// other. From the first field that differs, the lengths are walked.
    @inline(__always)
    private func locateFields(in tuple: UnsafeRawBufferPointer) -> Int? {
        var field = 0
        while field < knownFields {
            let (start, length) = (fieldStarts[field], fieldLengths[field])
            guard start + max(0, Int(length)) <= tuple.count, tuple.loadBigEndian(Int32.self, at: start - 4) == length else { break }
            field += 1
        }
        var cursor = field == 0 ? 2 : fieldStarts[field - 1] + max(0, Int(fieldLengths[field - 1]))
        knownFields = field
        while field < fieldStarts.count {
            guard cursor + 4 <= tuple.count else { return nil }
            let length = tuple.loadBigEndian(Int32.self, at: cursor)
            cursor += 4
            guard cursor + max(0, Int(length)) <= tuple.count else { return nil }
            fieldStarts[field] = cursor
            fieldLengths[field] = length
            cursor += max(0, Int(length))
            field += 1
            knownFields = field
        }
        return cursor
    }
}

extension UnsafeRawBufferPointer {
    @inline(__always)
    func loadBigEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
