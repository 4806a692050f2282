import Testing
@testable import KeenReports

@Suite struct CSVTests {
    private func field(_ text: String, guarded: Bool = true) -> String {
        var output: [UInt8] = []
        CSVField.append(text, guardFormula: guarded, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test func quotesOnlyWhatRFC4180Requires() {
        #expect(field("plain") == "plain")
        #expect(field("naïve café ☕") == "naïve café ☕")
        #expect(field("a,b") == "\"a,b\"")
        #expect(field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(field("two\nlines") == "\"two\nlines\"")
        #expect(field("cr\rhere") == "\"cr\rhere\"")
        #expect(field("semi;colon") == "semi;colon")
        #expect(field("") == "")
    }

    @Test(arguments: ["=SUM(A1)", "+1", "-rm", "@mention", "\tTab", "\rCR"])
    func guardsFormulas(text: String) {
        let written = field(text)
        #expect(written.hasPrefix("'") || written.hasPrefix("\"'"))
        #expect(field(text, guarded: false).contains(text))
        #expect(!field(text, guarded: false).contains("'"))
    }

    @Test func guardedAndQuotedTogether() {
        #expect(field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(field("-a,b") == "\"'-a,b\"")
    }

    @Test func parserReadsWhatTheWriterWrites() throws {
        let samples = ["plain", "a,b", "say \"hi\"", "two\nlines", "  spaced  ", "", "naïve", "'=x"]
        var line: [UInt8] = []
        for (index, sample) in samples.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            CSVField.append(sample, guardFormula: false, to: &line)
        }
        let records = try LibCSVParser.records(of: String(decoding: line, as: UTF8.self) + "\n")
        #expect(records == [samples])
    }

    @Test func parserRejectsAStrayQuote() {
        #expect(throws: EngineError.self) { try LibCSVParser.records(of: "a,\"b\"c\n") }
    }

    @Test func parserTakesCRLFAndAMissingLastLineEnd() throws {
        #expect(try LibCSVParser.records(of: "a,b\r\nc,d") == [["a", "b"], ["c", "d"]])
    }
}
