/// Appends the text of numbers and identifiers straight into a byte buffer:
/// the writers' hot path makes no String per value.
enum ByteText {
    static let digits: [UInt8] = Array("0123456789".utf8)
    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        appendUnsigned(value.magnitude, to: &output)
    }

    static func appendUnsigned(_ value: UInt64, to output: inout [UInt8]) {
        guard value >= 10 else { output.append(digits[Int(value)]); return }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes hold 20 digits
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var position = buffer.count
            var rest = value
            while rest > 0 {
                position -= 1
                buffer[position] = digits[Int(rest % 10)]
                rest /= 10
            }
            output.append(contentsOf: buffer[position...])
        }
    }

    /// `value` (non-negative) with leading zeros to `width` digits.
    static func appendPadded(_ value: Int, width: Int, to output: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<max(width, 1) { divisor *= 10 }
        var rest = value
        if rest >= divisor * 10 { appendUnsigned(UInt64(rest / (divisor * 10)), to: &output); rest %= divisor * 10 }
        while divisor > 0 {
            output.append(digits[rest / divisor % 10])
            divisor /= 10
        }
    }

    /// The decimal rounded to `places` (half away from zero) and written
    /// with exactly that many: `12.0000`.
    static func appendDecimal(_ value: ExactDecimal, places: Int, to output: inout [UInt8]) {
        let rounded = value.rounded(toScale: places)
        if rounded.units < 0 { output.append(UInt8(ascii: "-")) }
        let magnitude = rounded.units.magnitude
        let one = UInt128(Int128.powerOfTen(places))
        let whole = magnitude / one
        if whole <= UInt128(UInt64.max) {
            appendUnsigned(UInt64(whole), to: &output)
        } else {
            output.append(contentsOf: String(whole).utf8)
        }
        guard places > 0 else { return }
        output.append(UInt8(ascii: "."))
        var fraction = magnitude % one
        output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: places))
        var position = output.count - 1
        while fraction > 0 {
            output[position] = digits[Int(fraction % 10)]
            fraction /= 10
            position -= 1
        }
    }

    /// A uuid's 16 bytes in canonical lowercase form.
    static func appendUUID(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { output.append(UInt8(ascii: "-")) }
            output.append(hex[Int(byte >> 4)])
            output.append(hex[Int(byte & 0x0F)])
        }
    }
}
