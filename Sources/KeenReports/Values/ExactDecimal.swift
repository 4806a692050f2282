/// An exact decimal number: `units / 10^scale`.
///
/// Money, cost and everything derived from PostgreSQL `numeric` columns is
/// kept in this type, never in binary floating point. 128-bit units hold 38
/// digits: a sum of ten billion `DECIMAL(12,4)` amounts still fits with room
/// to spare, so arithmetic traps on overflow instead of carrying an error path
/// through every sum.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let units: Int128
    /// Digits after the decimal point, 0...maxScale.
    public let scale: Int

    public static let maxScale = 30
    public static let zero = ExactDecimal(units: 0, scale: 0)

    public init(units: Int128, scale: Int) {
        precondition(scale >= 0 && scale <= ExactDecimal.maxScale, "scale \(scale) out of range")
        self.units = units
        self.scale = scale
    }

    public init(_ integer: Int64) {
        self.init(units: Int128(integer), scale: 0)
    }

    /// Parses `-12.3400`, `0.5`, `7`, `+3.25`. The scale is the number of
    /// digits written after the point. Returns nil for anything else.
    public init?(_ text: some StringProtocol) {
        var units: Int128 = 0
        var scale = 0
        var sawPoint = false
        var sawDigit = false
        var negative = false
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0: negative = true
            case UInt8(ascii: "+") where index == 0: break
            case UInt8(ascii: "."):
                if sawPoint { return nil }
                sawPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (shifted, o1) = units.multipliedReportingOverflow(by: 10)
                let (added, o2) = shifted.addingReportingOverflow(Int128(byte - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                units = added
                sawDigit = true
                if sawPoint { scale += 1 }
            default: return nil
            }
        }
        guard sawDigit, scale <= ExactDecimal.maxScale else { return nil }
        self.init(units: negative ? -units : units, scale: scale)
    }

    public var isZero: Bool { units == 0 }
    public var isNegative: Bool { units < 0 }

    /// The same value at `newScale` places, rounding half away from zero
    /// (PostgreSQL `round(numeric, n)`) when places are dropped.
    public func rounded(toScale newScale: Int) -> ExactDecimal {
        if newScale == scale { return self }
        if newScale > scale {
            return ExactDecimal(units: units * Int128.powerOfTen(newScale - scale), scale: newScale)
        }
        return ExactDecimal(units: Int128.dividedRoundingHalfAwayFromZero(units, Int128.powerOfTen(scale - newScale)),
                            scale: newScale)
    }

    /// `self / divisor` at `resultScale` places, rounded half away from zero.
    public func divided(by divisor: Int64, scale resultScale: Int) -> ExactDecimal {
        divided(by: ExactDecimal(divisor), scale: resultScale)
    }

    /// `self / divisor` at `resultScale` places, rounded half away from zero.
    public func divided(by divisor: ExactDecimal, scale resultScale: Int) -> ExactDecimal {
        precondition(!divisor.isZero, "division by zero")
        // self/divisor = (u1 / 10^s1) / (u2 / 10^s2); scaled by 10^r:
        // u1 * 10^(r + s2 - s1) / u2.
        let shift = resultScale + divisor.scale - scale
        var numerator = units
        var denominator = divisor.units
        if shift >= 0 { numerator *= Int128.powerOfTen(shift) } else { denominator *= Int128.powerOfTen(-shift) }
        return ExactDecimal(units: Int128.dividedRoundingHalfAwayFromZero(numerator, denominator), scale: resultScale)
    }

    public static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let scale = max(lhs.scale, rhs.scale)
        return ExactDecimal(units: lhs.rounded(toScale: scale).units + rhs.rounded(toScale: scale).units, scale: scale)
    }

    public static func - (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        lhs + (-rhs)
    }

    public static prefix func - (value: ExactDecimal) -> ExactDecimal {
        ExactDecimal(units: -value.units, scale: value.scale)
    }

    public static func * (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let product = ExactDecimal(units: lhs.units * rhs.units, scale: min(lhs.scale + rhs.scale, maxScale + 8))
        return product.scale > maxScale ? product.rounded(toScale: maxScale) : product
    }

    public static func += (lhs: inout ExactDecimal, rhs: ExactDecimal) { lhs = lhs + rhs }

    // Equal values compare equal whatever their scale: 1.5 == 1.50.
    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.rounded(toScale: scale).units == rhs.rounded(toScale: scale).units
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.rounded(toScale: scale).units < rhs.rounded(toScale: scale).units
    }

    public func hash(into hasher: inout Hasher) {
        // Trailing zeros removed, so that equal values hash alike.
        var units = self.units
        var scale = self.scale
        while scale > 0 && units % 10 == 0 { units /= 10; scale -= 1 }
        hasher.combine(units)
        hasher.combine(scale)
    }

    /// The value with exactly `scale` digits after the point: `12.0000`.
    public var description: String {
        let negative = units < 0
        var digits = String(units.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return negative ? "-" + digits : digits
    }

    /// Digits from the first non-zero digit to the last non-zero one, as the
    /// value is held (0 for zero): how many a binary double must keep.
    public var significantDigits: Int {
        var magnitude = units.magnitude
        guard magnitude != 0 else { return 0 }
        while magnitude % 10 == 0 { magnitude /= 10 }
        var digits = 0
        while magnitude != 0 { magnitude /= 10; digits += 1 }
        return digits
    }

    /// The value rounded to `places` and written with exactly that many.
    public func formatted(places: Int) -> String {
        rounded(toScale: places).description
    }
}

extension Int128 {
    private static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    static func powerOfTen(_ exponent: Int) -> Int128 {
        powersOfTen[exponent]
    }

    /// `numerator / denominator`, rounded half away from zero.
    static func dividedRoundingHalfAwayFromZero(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        if remainder == 0 { return quotient }
        // Compare 2|r| with |d| without overflowing: |r| >= |d| - |r|.
        let r = remainder.magnitude
        let d = denominator.magnitude
        guard r >= d - r else { return quotient }
        return (numerator < 0) != (denominator < 0) ? quotient - 1 : quotient + 1
    }
}

extension ExactDecimal {
    /// More than `tolerance` apart, either way: how every reconciliation
    /// check that compares two amounts decides (`--tolerance`).
    func differs(from other: ExactDecimal, beyond tolerance: ExactDecimal) -> Bool {
        let difference = self - other
        return (difference.isNegative ? -difference : difference) > tolerance
    }
}
