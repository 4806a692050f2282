/// Decodes the byte stream of `COPY ... TO STDOUT (FORMAT binary)` into rows.
///
/// Format (PostgreSQL docs, "Binary Format" of COPY): an 11-byte signature,
/// a 32-bit flags word and a header-extension length, then one tuple after
/// another: a 16-bit field count (-1 ends the data), then per field a 32-bit
/// length (-1 for NULL) and that many bytes. All integers are big-endian.
///
/// The server sends whole tuples per CopyData message, but the decoder does
/// not rely on it: a tuple split across chunks is carried over. Field
/// positions live in arrays reused for every row, so decoding allocates
/// nothing per row.
public struct BinaryCopyDecoder {
    static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    private var headerSeen = false
    private var finished = false
    private var carry: [UInt8] = []
    private var fieldStarts: [Int] = []
    private var fieldLengths: [Int32] = []
    public private(set) var rowsDecoded = 0

    public init() {}

    /// Decodes every complete tuple in `chunk` (after what an earlier chunk
    /// left over), calling `onRow` for each.
    public mutating func decode(_ chunk: UnsafeRawBufferPointer, _ onRow: (CopyRow) throws -> Void) throws {
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
    private mutating func decodeComplete(_ bytes: UnsafeRawBufferPointer, _ onRow: (CopyRow) throws -> Void) throws -> Int {
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
            // Find every field of the tuple before handing it on. The position
            // arrays change size only when the field count does (never within
            // one query), so a row costs no array bookkeeping.
            if fieldStarts.count != fieldCount {
                fieldStarts = [Int](repeating: 0, count: fieldCount)
                fieldLengths = [Int32](repeating: 0, count: fieldCount)
            }
            let end = fieldStarts.withUnsafeMutableBufferPointer { starts in
                fieldLengths.withUnsafeMutableBufferPointer { lengths in
                    Self.locateFields(in: bytes, after: position + 2, starts: starts, lengths: lengths)
                }
            }
            guard let cursor = end else { break }
            try fieldStarts.withUnsafeBufferPointer { starts in
                try fieldLengths.withUnsafeBufferPointer { lengths in
                    try onRow(CopyRow(bytes: bytes, starts: starts, lengths: lengths))
                }
            }
            rowsDecoded += 1
            position = cursor
        }
        return position
    }

    /// Fills in where each field of the tuple whose first field length is at
    /// `start` starts and how long it is; returns the position after the
    /// tuple, or nil when the tuple does not end within `bytes`.
    @inline(__always)
    private static func locateFields(in bytes: UnsafeRawBufferPointer, after start: Int,
                                     starts: UnsafeMutableBufferPointer<Int>,
                                     lengths: UnsafeMutableBufferPointer<Int32>) -> Int? {
        var cursor = start
        for field in 0..<starts.count {
            guard cursor + 4 <= bytes.count else { return nil }
            let length = bytes.loadBigEndian(Int32.self, at: cursor)
            cursor += 4
            starts[field] = cursor
            lengths[field] = length
            if length > 0 { cursor += Int(length) }
            guard cursor <= bytes.count else { return nil }
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
