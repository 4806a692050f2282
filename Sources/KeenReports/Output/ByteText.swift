/// Appends the text of numbers and identifiers straight into a byte buffer:
/// the writers' hot path makes no String per value. Each value is built in
/// a small stack buffer and appended once.
enum ByteText {
    @inline(__always)
    static func digit(_ value: Int) -> UInt8 { UInt8(truncatingIfNeeded: 48 + value) }

    @inline(__always)
    static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 48 + value : 87 + value }

    /// Builds up to `capacity` bytes with `body` (which returns how many it
    /// wrote) and appends them.
    @inline(__always)
    static func appendBuilt(capacity: Int, to output: inout [UInt8], _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            let count = body(buffer)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        appendUnsigned(value.magnitude, to: &output)
    }

    static func appendUnsigned(_ value: UInt64, to output: inout [UInt8]) {
        appendBuilt(capacity: 20, to: &output) { buffer in
            var position = 20
            var rest = value
            repeat {
                position -= 1
                buffer[position] = digit(Int(rest % 10))
                rest /= 10
            } while rest > 0
            let count = 20 - position
            if position > 0 {
                for index in 0..<count { buffer[index] = buffer[position + index] }
            }
            return count
        }
    }

    /// `value` (non-negative) with leading zeros to `width` digits (more
    /// digits when it needs them).
    static func appendPadded(_ value: Int, width: Int, to output: inout [UInt8]) {
        var length = 1
        var limit = 10
        while value >= limit && length < 19 { length += 1; limit &*= 10 }
        let count = max(width, length)
        appendBuilt(capacity: count, to: &output) { buffer in
            var rest = value
            for index in stride(from: count - 1, through: 0, by: -1) {
                buffer[index] = digit(rest % 10)
                rest /= 10
            }
            return count
        }
    }

    /// The decimal rounded to `places` (half away from zero) and written
    /// with exactly that many: `12.0000`.
    static func appendDecimal(_ value: ExactDecimal, places: Int, to output: inout [UInt8]) {
        let rounded = value.rounded(toScale: places)
        if rounded.units < 0 { output.append(UInt8(ascii: "-")) }
        let magnitude = rounded.units.magnitude
        // Up to 39 digits, a point and up to 30 places.
        appendBuilt(capacity: 72, to: &output) { buffer in
            var rest = magnitude
            var position = 72
            var written = 0
            repeat {
                if written == places && places > 0 {
                    position -= 1
                    buffer[position] = UInt8(ascii: ".")
                }
                position -= 1
                buffer[position] = digit(Int(rest % 10))
                rest /= 10
                written += 1
            } while rest > 0 || written <= places
            let count = 72 - position
            for index in 0..<count { buffer[index] = buffer[position + index] }
            return count
        }
    }

    /// A uuid's 16 bytes in canonical lowercase form.
    static func appendUUID(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        appendBuilt(capacity: 36, to: &output) { buffer in
            var position = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                let byte = bytes[index]
                buffer[position] = hexDigit(byte >> 4)
                buffer[position + 1] = hexDigit(byte & 0x0F)
                position += 2
            }
            return 36
        }
    }
}
