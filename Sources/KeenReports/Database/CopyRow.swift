/// One tuple of a binary COPY stream, valid only inside the callback that
/// receives it. Typed accessors decode PostgreSQL's binary send formats; a
/// query casts each column to the type its reader asks for.
public struct CopyRow {
    let bytes: UnsafeRawBufferPointer
    let starts: UnsafeBufferPointer<Int>
    let lengths: UnsafeBufferPointer<Int32>

    public var count: Int { starts.count }

    @inline(__always)
    public func isNull(_ column: Int) -> Bool { lengths[column] < 0 }

    /// The field's raw bytes (empty for NULL).
    @inline(__always)
    public func raw(_ column: Int) -> UnsafeRawBufferPointer {
        let length = max(0, Int(lengths[column]))
        return UnsafeRawBufferPointer(rebasing: bytes[starts[column]..<(starts[column] + length)])
    }

    /// int2, int4 or int8.
    @inline(__always)
    public func integer(_ column: Int) throws(EngineError) -> Int64? {
        if isNull(column) { return nil }
        switch lengths[column] {
        case 2: return Int64(bytes.loadBigEndian(Int16.self, at: starts[column]))
        case 4: return Int64(bytes.loadBigEndian(Int32.self, at: starts[column]))
        case 8: return bytes.loadBigEndian(Int64.self, at: starts[column])
        default: throw mismatch(column, "an integer")
        }
    }

    @inline(__always)
    public func boolean(_ column: Int) throws(EngineError) -> Bool? {
        if isNull(column) { return nil }
        guard lengths[column] == 1 else { throw mismatch(column, "a boolean") }
        return bytes[starts[column]] != 0
    }

    /// text, varchar (and any type whose binary form is its UTF-8 text).
    public func text(_ column: Int) -> String? {
        if isNull(column) { return nil }
        return String(decoding: raw(column), as: UTF8.self)
    }

    /// uuid, written in its canonical lowercase form.
    public func uuid(_ column: Int) throws(EngineError) -> String? {
        if isNull(column) { return nil }
        guard lengths[column] == 16 else { throw mismatch(column, "a uuid") }
        var text: [UInt8] = []
        ByteText.appendUUID(raw(column), to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// A non-NULL uuid's 128 bits, for sets of ids (NULL reads as 0).
    @inline(__always)
    public func uuidBits(_ column: Int) throws(EngineError) -> UInt128 {
        if isNull(column) { return 0 }
        guard lengths[column] == 16 else { throw mismatch(column, "a uuid") }
        return bytes.loadUnaligned(fromByteOffset: starts[column], as: UInt128.self)
    }

    /// timestamptz: microseconds since 2000-01-01 UTC.
    public func timestamp(_ column: Int) throws(EngineError) -> Timestamp? {
        if isNull(column) { return nil }
        guard lengths[column] == 8 else { throw mismatch(column, "a timestamptz") }
        let micros = bytes.loadBigEndian(Int64.self, at: starts[column])
        guard micros != .max, micros != .min else { throw EngineError.engine("column \(column + 1) holds an infinite timestamp") }
        return Timestamp(microsecondsSincePostgresEpoch: micros)
    }

    /// date: days since 2000-01-01.
    public func date(_ column: Int) throws(EngineError) -> CivilDate? {
        if isNull(column) { return nil }
        guard lengths[column] == 4 else { throw mismatch(column, "a date") }
        let days = Int64(bytes.loadBigEndian(Int32.self, at: starts[column]))
        return CivilDate(daysSinceUnixEpoch: days + 10_957)
    }

    /// numeric, exactly.
    public func decimal(_ column: Int) throws(EngineError) -> ExactDecimal? {
        if isNull(column) { return nil }
        guard let value = NumericBinary.decode(raw(column)) else { throw mismatch(column, "a finite numeric") }
        return value
    }

    /// numeric as an exact count of 10^-`scale` (NULL reads as 0), for
    /// sums of many values of one scale: nil when the value has a digit past
    /// `scale` or does not fit 64 bits, and then `decimal` reads it.
    @inline(__always)
    public func units(_ column: Int, scale: Int) -> Int64? {
        if isNull(column) { return 0 }
        return NumericBinary.units(raw(column), scale: scale)
    }

    /// A one-dimensional text[] (or varchar[]); NULL elements stay nil.
    public func textArray(_ column: Int) throws(EngineError) -> [String?]? {
        if isNull(column) { return nil }
        guard let elements = ArrayBinary.decodeText(raw(column)) else { throw mismatch(column, "a one-dimensional text array") }
        return elements
    }

    /// The field as a report value of the column's type.
    public func value(_ column: Int, as type: ReportColumn.ValueType) throws(EngineError) -> ReportValue {
        if isNull(column) { return .null }
        switch type {
        case .text: return .text(text(column))
        case .integer: return .integer(try integer(column))
        case .decimal: return .decimal(try decimal(column))
        case .uuid: return .uuid(try uuid(column))
        case .boolean: return .boolean(try boolean(column)!)
        case .timestamp: return .timestamp(try timestamp(column))
        case .date: return .date(try date(column)!)
        case .textArray: return .textArray(try textArray(column)!)
        }
    }

    private func mismatch(_ column: Int, _ expected: String) -> EngineError {
        .engine("column \(column + 1) of a query result is not \(expected) (\(lengths[column]) bytes); cast it in the query")
    }
}

/// PostgreSQL's binary `numeric`: int16 digit count, int16 weight, int16
/// sign, int16 display scale, then base-10000 digits, most significant first.
/// value = sum(digit[i] * 10000^(weight - i)).
enum NumericBinary {
    static func decode(_ bytes: UnsafeRawBufferPointer) -> ExactDecimal? {
        guard bytes.count >= 8 else { return nil }
        let digitCount = Int(bytes.loadBigEndian(Int16.self, at: 0))
        let weight = Int(bytes.loadBigEndian(Int16.self, at: 2))
        let sign = UInt16(bitPattern: bytes.loadBigEndian(Int16.self, at: 4))
        let displayScale = Int(bytes.loadBigEndian(Int16.self, at: 6))
        guard sign == 0x0000 || sign == 0x4000, digitCount >= 0, bytes.count == 8 + 2 * digitCount,
              displayScale <= ExactDecimal.maxScale else { return nil }
        var units: Int128 = 0
        for index in 0..<digitCount {
            let digit = Int128(bytes.loadBigEndian(Int16.self, at: 8 + 2 * index))
            let (shifted, overflow) = units.multipliedReportingOverflow(by: 10_000)
            guard !overflow else { return nil }
            units = shifted + digit
        }
        // units holds the digits as an integer; its last digit has weight
        // (weight - digitCount + 1) in base 10000. Scale to displayScale.
        let exponent = 4 * (weight - digitCount + 1) + displayScale
        if exponent >= 0 {
            guard exponent <= 38 else { return nil }
            let (scaled, overflow) = units.multipliedReportingOverflow(by: Int128.powerOfTen(exponent))
            guard !overflow else { return nil }
            units = scaled
        } else {
            // Digits past the display scale are zeros, so this is exact.
            guard -exponent <= 38 else { return units == 0 ? ExactDecimal(units: 0, scale: displayScale) : nil }
            units /= Int128.powerOfTen(-exponent)
        }
        return ExactDecimal(units: sign == 0x4000 ? -units : units, scale: displayScale)
    }
}

extension NumericBinary {
    /// `decode`'s value in units of 10^-`scale` in 64 bits, without the
    /// 128-bit multiplications and division (cost_per_tool sums ten million
    /// costs): nil when a digit lies past `scale` or the value does not fit.
    @inline(__always)
    static func units(_ bytes: UnsafeRawBufferPointer, scale: Int) -> Int64? {
        guard bytes.count >= 8 else { return nil }
        let digitCount = Int(bytes.loadBigEndian(Int16.self, at: 0))
        let weight = Int(bytes.loadBigEndian(Int16.self, at: 2))
        let sign = UInt16(bitPattern: bytes.loadBigEndian(Int16.self, at: 4))
        guard sign == 0x0000 || sign == 0x4000, digitCount >= 0, bytes.count == 8 + 2 * digitCount else { return nil }
        var units: Int64 = 0
        for index in 0..<digitCount {
            let digit = Int64(bytes.loadBigEndian(Int16.self, at: 8 + 2 * index))
            // This digit's worth in units: digit * 10^(4 * (weight - index) + scale).
            let exponent = 4 * (weight - index) + scale
            let worth: Int64
            switch exponent {
            case 0...18:
                let (product, overflow) = digit.multipliedReportingOverflow(by: Int64(truncatingIfNeeded: Int128.powerOfTen(exponent)))
                guard !overflow else { return nil }
                worth = product
            case -1: guard digit % 10 == 0 else { return nil }; worth = digit / 10
            case -2: guard digit % 100 == 0 else { return nil }; worth = digit / 100
            case -3: guard digit % 1000 == 0 else { return nil }; worth = digit / 1000
            default: guard digit == 0 else { return nil }; worth = 0
            }
            let (sum, overflow) = units.addingReportingOverflow(worth)
            guard !overflow else { return nil }
            units = sum
        }
        return sign == 0x4000 ? -units : units
    }
}

/// PostgreSQL's binary array: int32 dimensions, int32 has-nulls flag, int32
/// element type OID, per dimension int32 size and int32 lower bound, then per
/// element an int32 length (-1 for NULL) and its bytes.
enum ArrayBinary {
    static func decodeText(_ bytes: UnsafeRawBufferPointer) -> [String?]? {
        guard bytes.count >= 12 else { return nil }
        let dimensions = bytes.loadBigEndian(Int32.self, at: 0)
        if dimensions == 0 { return [] }
        guard dimensions == 1, bytes.count >= 20 else { return nil }
        let count = Int(bytes.loadBigEndian(Int32.self, at: 12))
        var position = 20
        var elements: [String?] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            guard position + 4 <= bytes.count else { return nil }
            let length = Int(bytes.loadBigEndian(Int32.self, at: position))
            position += 4
            if length < 0 { elements.append(nil); continue }
            guard position + length <= bytes.count else { return nil }
            elements.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)]), as: UTF8.self))
            position += length
        }
        return position == bytes.count ? elements : nil
    }
}
