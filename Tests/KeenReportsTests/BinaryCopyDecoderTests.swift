import Testing
@testable import KeenReports

@Suite struct BinaryCopyDecoderTests {
    private func int16(_ value: Int16) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    private func int32(_ value: Int32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    private func int64(_ value: Int64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    private func field(_ bytes: [UInt8]) -> [UInt8] { int32(Int32(bytes.count)) + bytes }
    private func numeric(digits: [Int16], weight: Int16, negative: Bool, scale: Int16) -> [UInt8] {
        int16(Int16(digits.count)) + int16(weight) + int16(negative ? 0x4000 : 0) + int16(scale) + digits.flatMap(int16)
    }

    /// Two rows of (int8, numeric, text, timestamptz, uuid, text[]), the
    /// second with NULLs, as PostgreSQL sends them.
    private var stream: [UInt8] {
        var bytes = BinaryCopyDecoder.signature + int32(0) + int32(0)
        bytes += int16(6)
        bytes += field(int64(-42))
        bytes += field(numeric(digits: [1234, 5600], weight: 0, negative: true, scale: 4))   // -1234.5600
        bytes += field(Array("naïve, \"x\"".utf8))
        bytes += field(int64(848_491_200_000_000))                                          // 2026-11-20T12:00:00Z
        bytes += field((0..<16).map { UInt8($0 * 17) })
        bytes += field(int32(1) + int32(0) + int32(25) + int32(2) + int32(1) + field(Array("a".utf8)) + field(Array("b;c".utf8)))
        bytes += int16(6)
        bytes += field(int64(7))
        bytes += field(numeric(digits: [4000], weight: -2, negative: false, scale: 6))      // 0.000040
        bytes += int32(-1) + int32(-1) + int32(-1)
        bytes += field(int32(0) + int32(0) + int32(25))                                    // empty array
        bytes += int16(-1)
        return bytes
    }

    private func decodeAll(chunkSize: Int) throws -> [[String]] {
        let decoder = BinaryCopyDecoder()
        var rows: [[String]] = []
        let bytes = stream
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            try Array(bytes[start..<end]).withUnsafeBytes { chunk in
                try decoder.decode(chunk) { row in
                    rows.append([
                        String(try row.integer(0) ?? 0),
                        try row.decimal(1)?.description ?? "NULL",
                        row.text(2) ?? "NULL",
                        try row.timestamp(3)?.utcText ?? "NULL",
                        try row.uuid(4) ?? "NULL",
                        (try row.textArray(5) ?? []).map { $0 ?? "NULL" }.joined(separator: "|"),
                    ])
                }
            }
            start = end
        }
        try decoder.finish()
        return rows
    }

    @Test func decodesEveryTypeWhateverTheChunking() throws {
        let expected = [
            ["-42", "-1234.5600", "naïve, \"x\"", "2026-11-20T12:00:00Z", "00112233-4455-6677-8899-aabbccddeeff", "a|b;c"],
            ["7", "0.000040", "NULL", "NULL", "NULL", ""],
        ]
        for chunkSize in [1, 2, 3, 7, 19, 64, 4096] {
            #expect(try decodeAll(chunkSize: chunkSize) == expected, "chunk size \(chunkSize)")
        }
    }

    /// Rows whose fields keep, and then change, the lengths of the row
    /// before (a text growing or shrinking, a NULL coming and going), so
    /// that the decoder's guess of where a field lies is right for some rows
    /// and wrong from some field on for others, split at every byte.
    @Test func findsEachRowsFieldsWhenTheyMoveFromTheRowBefore() throws {
        let expected = (0..<40).map { number -> [String] in
            [String(number), String(repeating: "t", count: number / 3 % 4),
             number % 7 == 0 ? "NULL" : String(number * 1_000), number % 5 == 0 ? "ab" : "c"]
        }
        var bytes = BinaryCopyDecoder.signature + int32(0) + int32(0)
        for row in expected {
            bytes += int16(4) + field(int32(Int32(row[0])!)) + field(Array(row[1].utf8))
            bytes += row[2] == "NULL" ? int32(-1) : field(int64(Int64(row[2])!))
            bytes += field(Array(row[3].utf8))
        }
        bytes += int16(-1)
        for chunkSize in [1, 2, 5, 11, 29, 64, bytes.count] {
            let decoder = BinaryCopyDecoder()
            var rows: [[String]] = []
            for start in stride(from: 0, to: bytes.count, by: chunkSize) {
                try Array(bytes[start..<min(start + chunkSize, bytes.count)]).withUnsafeBytes { chunk in
                    try decoder.decode(chunk) { row in
                        rows.append([String(try row.integer(0) ?? -1), row.text(1) ?? "NULL",
                                     try row.integer(2).map(String.init) ?? "NULL", row.text(3) ?? "NULL"])
                    }
                }
            }
            try decoder.finish()
            #expect(rows == expected, "chunk size \(chunkSize)")
        }
    }

    @Test(arguments: [
        ([Int16(1250)], Int16(0), Int16(0), "1250"),
        ([Int16(1)], Int16(1), Int16(2), "10000.00"),
        ([Int16(12), Int16(3400)], Int16(0), Int16(4), "12.3400"),
        ([Int16](), Int16(0), Int16(6), "0.000000"),
        ([Int16(9999), Int16(9999), Int16(9999), Int16(9999)], Int16(1), Int16(4), "99999999.9999"),
    ])
    func decodesNumerics(digits: [Int16], weight: Int16, scale: Int16, expected: String) throws {
        let bytes = numeric(digits: digits, weight: weight, negative: false, scale: scale)
        let value = bytes.withUnsafeBytes { NumericBinary.decode($0) }
        #expect(value?.description == expected)
    }

    /// The 64-bit millionths equal the exact decoding wherever it has no
    /// digit past the sixth decimal and fits, and are nil everywhere else.
    @Test func readsNumericsAsMillionthsLikeTheExactDecoding() {
        var generator = SystemRandomNumberGenerator()
        var fitted = 0
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...6, using: &generator)
            let weight = Int16.random(in: -4...4, using: &generator)
            let scale = Int16.random(in: 0...12, using: &generator)
            // As PostgreSQL sends them: no digit past the display scale.
            let digits = (0..<count).map { index in
                let decimals = 4 * (Int(index) - Int(weight))  // the decimal places up to this digit's last
                let dropped = min(4, max(0, decimals - Int(scale)))
                let unit = Int16([1, 10, 100, 1000, 10000][dropped])
                return Int16.random(in: 0...9999, using: &generator) / unit * unit
            }
            let negative = Bool.random(using: &generator)
            let bytes = numeric(digits: digits, weight: weight, negative: negative, scale: scale)
            let (units, exact) = bytes.withUnsafeBytes { (NumericBinary.units($0, scale: 6), NumericBinary.decode($0)) }
            var expected: Int64?
            if let exact, exact.rounded(toScale: 6) == exact, let fits = Int64(exactly: exact.rounded(toScale: 6).units) { expected = fits }
            #expect(units == expected, "\(digits) weight \(weight) negative \(negative)")
            if expected != nil { fitted += 1 }
        }
        #expect(fitted > 5_000, "most values fit")
    }

    @Test func rejectsAStreamThatEndsEarly() throws {
        let decoder = BinaryCopyDecoder()
        let bytes = Array(stream.dropLast(5))
        try bytes.withUnsafeBytes { try decoder.decode($0) { _ in } }
        #expect(throws: EngineError.self) { try decoder.finish() }
    }

    @Test func rejectsSomethingElse() {
        let decoder = BinaryCopyDecoder()
        let bytes = Array("id,name\n1,x\n2,y\n3,z\n".utf8)
        #expect(throws: EngineError.self) { try bytes.withUnsafeBytes { try decoder.decode($0) { _ in } } }
    }
}
