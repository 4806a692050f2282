import Testing
@testable import KeenReports

@Suite struct ExactDecimalTests {
    @Test func parsesAndWritesExactPlaces() throws {
        #expect(try #require(ExactDecimal("12.3400")).description == "12.3400")
        #expect(try #require(ExactDecimal("-0.5")).description == "-0.5")
        #expect(try #require(ExactDecimal("7")).formatted(places: 4) == "7.0000")
        #expect(try #require(ExactDecimal("0.000040")).formatted(places: 6) == "0.000040")
        #expect(ExactDecimal("1.2.3") == nil)
        #expect(ExactDecimal("") == nil)
        #expect(ExactDecimal("1e5") == nil)
        #expect(ExactDecimal("--1") == nil)
    }

    @Test(arguments: [
        // value, places, PostgreSQL round(value, places)
        ("0.5", 0, "1"), ("-0.5", 0, "-1"), ("1.25", 1, "1.3"), ("-1.25", 1, "-1.3"),
        ("1.2449", 2, "1.24"), ("0.000050", 4, "0.0001"), ("0.000049", 4, "0.0000"),
        ("-0.000050", 4, "-0.0001"), ("2.5", 0, "3"), ("12", 2, "12.00"),
    ])
    func roundsHalfAwayFromZero(value: String, places: Int, expected: String) throws {
        #expect(try #require(ExactDecimal(value)).formatted(places: places) == expected)
    }

    @Test func dividesWithRounding() throws {
        // 2/3 = 0.6667 at 4 places; 1/8 = 0.125 -> 0.13 at 2 places (half away).
        #expect(ExactDecimal(2).divided(by: 3, scale: 4).description == "0.6667")
        #expect(ExactDecimal(1).divided(by: 8, scale: 2).description == "0.13")
        #expect(ExactDecimal(-1).divided(by: 8, scale: 2).description == "-0.13")
        let cost = try #require(ExactDecimal("53.354082"))
        #expect(cost.divided(by: 318, scale: 6).description == "0.167780")
        #expect(cost.divided(by: try #require(ExactDecimal("0.5")), scale: 3).description == "106.708")
    }

    @Test func addsAcrossScalesExactly() throws {
        // 0.1 + 0.2 is exactly 0.3, unlike binary floating point.
        let sum = try #require(ExactDecimal("0.1")) + #require(ExactDecimal("0.2"))
        #expect(sum == ExactDecimal("0.3"))
        #expect((try #require(ExactDecimal("1.0001")) - #require(ExactDecimal("0.00005"))).description == "1.00005")
        var total = ExactDecimal.zero
        for _ in 0..<1_000_000 { total += ExactDecimal(units: 1, scale: 4) }
        #expect(total.formatted(places: 4) == "100.0000")
    }

    @Test func equalValuesCompareAndHashAlike() throws {
        let a = try #require(ExactDecimal("1.50"))
        let b = try #require(ExactDecimal("1.5"))
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(try #require(ExactDecimal("-2")) < #require(ExactDecimal("-1.999")))
    }

    @Test func holdsLargeSums() throws {
        // Ten billion maximal DECIMAL(12,4) amounts still fit.
        let maxAmount = try #require(ExactDecimal("99999999.9999"))
        let product = maxAmount * ExactDecimal(10_000_000_000)
        #expect(product.description == "999999999999000000.0000")
    }
}
