import Testing
@testable import KeenReports

@Suite struct OutputFormatTests {
    @Test func escapesJSONStrings() {
        #expect(JSONValue.string("a\"b\\c\nd\te\u{01}").serialized() == #""a\"b\\c\nd\te\u0001""#)
        #expect(JSONValue.string("naïve ☕").serialized() == "\"naïve ☕\"")
        let object = JSONValue.object([("b", .integer(2)), ("a", .array([.string("1.5000"), .null, .bool(true)]))])
        #expect(object.serialized() == #"{"b":2,"a":["1.5000",null,true]}"#)
    }

    @Test func formatsValuesByColumn() throws {
        var valueFormatter = ValueFormatter(zone: ReportTimeZone(identifier: "America/New_York")!)
        struct Text {
            let write: (ReportValue, ReportColumn) -> String
            func text(_ value: ReportValue, column: ReportColumn) -> String { write(value, column) }
        }
        let formatter = Text { value, column in
            var bytes: [UInt8] = []
            valueFormatter.append(value, column: column, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        let cost = ReportColumn(name: "total_cost", type: .decimal, scale: 6)
        let plain = ReportColumn(name: "x", type: .text)
        #expect(formatter.text(.decimal(try #require(ExactDecimal("0.5"))), column: cost) == "0.500000")
        #expect(formatter.text(.decimal(try #require(ExactDecimal("0.0000005"))), column: cost) == "0.000001")
        #expect(formatter.text(.textArray(["a", nil, "b"]), column: plain) == "a;;b")
        #expect(formatter.text(.textArray([]), column: plain) == "")
        #expect(formatter.text(.timestamp(Timestamp(unixMicroseconds: 1_793_000_000_000_000)), column: plain) == "2026-10-26T03:33:20-04:00")
    }

    @Test func writesNumbersAsBytes() throws {
        func integer(_ value: Int64) -> String {
            var bytes: [UInt8] = []
            ByteText.appendInteger(value, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        for value in [Int64.min, -1, 0, 7, 10, 2_147_483_648, Int64.max] { #expect(integer(value) == String(value)) }
        func decimal(_ text: String, _ places: Int) throws -> String {
            var bytes: [UInt8] = []
            ByteText.appendDecimal(try #require(ExactDecimal(text)), places: places, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(try decimal("-0.00005", 4) == "-0.0001")
        #expect(try decimal("0.000040", 6) == "0.000040")
        #expect(try decimal("12", 4) == "12.0000")
        #expect(try decimal("-1234.5", 0) == "-1235")
        #expect(try decimal("99999999999999999999999.5", 1) == "99999999999999999999999.5")
        for value in [0, 5, 42, 2026, 123_456] {
            var bytes: [UInt8] = []
            ByteText.appendPadded(value, width: 4, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(repeating: "0", count: max(0, 4 - String(value).count)) + String(value))
        }
    }

    @Test func escapesJSONBytes() {
        let cases = [("plain", #""plain""#), ("a\"b\\c", #""a\"b\\c""#), ("two\nlines\r\t", #""two\nlines\r\t""#),
                     ("\u{01}\u{1F}", #""\u0001\u001f""#), ("naïve ☕", "\"naïve ☕\""), ("", #""""#)]
        for (sample, expected) in cases {
            var bytes: [UInt8] = []
            var text = sample
            text.withUTF8 { JSONText.appendQuoted(UnsafeRawBufferPointer($0), to: &bytes) }
            #expect(String(decoding: bytes, as: UTF8.self) == expected, "\(sample)")
        }
    }

    @Test func validatesUserIDsAndTimeouts() {
        #expect(ReportParameters.canonicalUUID("0B7C2A54-7F1E-4C3A-9D2B-5E6F7A8B9C0D") == "0b7c2a54-7f1e-4c3a-9d2b-5e6f7a8b9c0d")
        #expect(ReportParameters.canonicalUUID("0b7c2a54-7f1e-4c3a-9d2b-5e6f7a8b9c0") == nil)
        #expect(ReportParameters.canonicalUUID("' OR 1=1 --") == nil)
        #expect(ReportParameters.canonicalUUID("0b7c2a54x7f1e-4c3a-9d2b-5e6f7a8b9c0d") == nil)
        for valid in ["30s", "15min", "500", "2h", "0", "1d", "250ms"] { #expect(StatementTimeout(valid) != nil, "\(valid)") }
        for invalid in ["", "s", "30 s", "-1s", "1.5s", "30sec", "1h; DROP"] { #expect(StatementTimeout(invalid) == nil, "\(invalid)") }
    }
}
