import Testing
@testable import KeenReports

/// Small pure parts of the engine: durations, formats, array literals,
/// significant digits, leftovers' names, the marking rules.
@Suite struct EngineLogicTests {
    @Test func durationsReadAsPostgreSQLReadsThem() {
        #expect(StatementTimeout("10min")?.seconds == 600)
        #expect(StatementTimeout("3s")?.seconds == 3)
        #expect(StatementTimeout("500ms")?.seconds == 0.5)
        #expect(StatementTimeout("250")?.seconds == 0.25)
        #expect(StatementTimeout("1h")?.seconds == 3600)
        for bad in ["", "s", "10 min", "-1s", "1.5s", "10minutes", "9999999999"] { #expect(StatementTimeout(bad)?.seconds == nil, "\(bad)") }
    }

    @Test func formatListsReadLikeTheCommandLineSays() throws {
        #expect(try OutputOptions.Format.parseList("csv,json") == [.csv, .json])
        #expect(try OutputOptions.Format.parseList("all") == [.csv, .json, .xlsx])
        #expect(try OutputOptions.Format.parseList("XLSX") == [.xlsx])
        #expect(throws: EngineError.self) { try OutputOptions.Format.parseList("csv,xls") }
        #expect(throws: EngineError.self) { try OutputOptions.Format.parseList("") }
    }

    @Test func arrayLiteralsQuoteEveryElement() {
        #expect(ArrayLiteral.text(["a", #"b "c""#, #"d\e"#, nil, ""]) == #"{"a","b \"c\"","d\\e",NULL,""}"#)
        #expect(ArrayLiteral.text([]) == "{}")
        #expect(ArrayLiteral.plain(["1", "2"]) == "{1,2}")
    }

    @Test func significantDigitsIgnoreLeadingAndTrailingZeros() {
        #expect(ExactDecimal("0.000100")!.significantDigits == 1)
        #expect(ExactDecimal("1000")!.significantDigits == 1)
        #expect(ExactDecimal("1000099999998.9999")!.significantDigits == 17)
        #expect(ExactDecimal("-12.3400")!.significantDigits == 4)
        #expect(ExactDecimal("0")!.significantDigits == 0)
    }

    @Test func leftoversAreNamedWithTheirProcess() {
        #expect(Leftovers.owner(of: ".2026-11-15.staging-4242") == 4242)
        #expect(Leftovers.owner(of: ".2026-11-15.staging-4242.old") == 4242)
        #expect(Leftovers.owner(of: ".cost_per_tool.csv.77.123456.tmp") == 77)
        #expect(Leftovers.owner(of: "2026-11-15") == nil)
        #expect(Leftovers.owner(of: ".keen-reports-nightly.lock") == nil)
        #expect(Leftovers.owner(of: ".notes.tmp") == nil)
    }

    @Test func markingDisputesWhatADiscrepancyNamesAndReconcilesTheRest() {
        let discrepancies = [
            Discrepancy(.amountMismatch, transactionID: "t1", detail: ""),
            Discrepancy(.customerMismatch, transactionID: "t1", detail: ""),
            Discrepancy(.balanceMismatch, accountID: "a1", detail: ""),
        ]
        let targets = LedgerMarking.targets(discrepancies: discrepancies, matched: ["t1", "t2"])
        #expect(targets.count == 2)
        #expect(targets["t1"]?.status == .disputed && targets["t1"]?.reason == "AMOUNT_MISMATCH;CUSTOMER_MISMATCH")
        #expect(targets["t2"]?.status == .reconciled && targets["t2"]?.reason == "matched")
    }

    @Test func daysOfABackfillGoRoundTheServers() {
        let days = (0..<5).map { CivilDate("2026-11-01")!.adding(days: $0) }
        let queue = NightlyRunner.DayQueue(days, workers: 2)
        #expect(queue.next(for: 1) == days[1])
        #expect(queue.next(for: 0) == days[0])
        #expect(queue.next(for: 1) == days[3])
        // Worker 1's server stops answering: its day goes back, and worker 0 takes it after its own.
        queue.stop(1, givingBack: days[3])
        #expect(queue.next(for: 0) == days[2])
        #expect(queue.next(for: 0) == days[4])
        #expect(queue.next(for: 0) == days[3])
        #expect(queue.next(for: 0) == nil)
    }
}
