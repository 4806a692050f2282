import Testing
@testable import KeenReports

/// The register's rule, night by night, on discrepancies made here.
@Suite struct ExceptionRegisterLogicTests {
    static let day1 = CivilDate("2026-11-15")!

    static func chainBreak(_ transaction: String, actual: Int64 = 52) -> Discrepancy {
        Discrepancy(.chainBreak, accountID: "a1", transactionID: transaction, expected: .amount(ExactDecimal(51)),
                    actual: .amount(ExactDecimal(actual)), detail: "balance_after does not follow")
    }

    static func night(_ offset: Int, _ reported: [Discrepancy], checked: Bool = true,
                      statuses: [String: String] = [:]) -> ExceptionRegister.Night {
        .init(date: day1.adding(days: offset), reported: reported, checkedAgain: { _ in checked }, statuses: statuses, metricsZone: .utc)
    }

    @Test func anExceptionOpensStaysAndClosesWhenNoLongerReported() throws {
        var register = ExceptionRegister(night: Self.day1.adding(days: -1))
        register = register.advanced(to: Self.night(0, [Self.chainBreak("t1")]))
        #expect(register.open.map(\.key.text) == ["CHAIN_BREAK/transaction/t1"] && register.newTonight == 1)
        register = register.advanced(to: Self.night(1, [Self.chainBreak("t1", actual: 53)]))
        let open = try #require(register.open.first)
        #expect(open.nightsOpen == 2 && open.firstSeen == Self.day1 && open.lastSeen == Self.day1.adding(days: 1))
        #expect(open.actual == "53.0000", "tonight's figures")
        #expect(register.newTonight == 0)
        // Not reported and not checked again (a Stripe row without an export): it waits, last seen unchanged.
        register = register.advanced(to: Self.night(2, [], checked: false))
        #expect(register.open.first?.nightsOpen == 3 && register.open.first?.lastSeen == Self.day1.adding(days: 1))
        register = register.advanced(to: Self.night(3, []))
        #expect(register.open.isEmpty)
        #expect(register.closed.map(\.closedReason) == [.noLongerReported] && register.closed.first?.closedOn == Self.day1.adding(days: 3))
    }

    @Test func aMarkSinceTheExceptionOpenedSettlesIt() {
        var register = ExceptionRegister(night: Self.day1.adding(days: -1))
        // Reconciled before the problem appeared: it opens all the same.
        register = register.advanced(to: Self.night(0, [Self.chainBreak("t1"), Self.chainBreak("t2")],
                                                    statuses: ["t1": "pending", "t2": "reconciled"]))
        #expect(register.open.count == 2)
        register = register.advanced(to: Self.night(1, [Self.chainBreak("t1"), Self.chainBreak("t2")],
                                                    statuses: ["t1": "reconciled", "t2": "reconciled"]))
        #expect(register.open.map(\.key.text) == ["CHAIN_BREAK/transaction/t2"])
        #expect(register.closed.map(\.key.text) == ["CHAIN_BREAK/transaction/t1"] && register.closed.first?.closedReason == .reconciled)
    }

    @Test func ageingCountsWholeDaysSinceFirstSeen() {
        let exceptions = [0, 1, 2, 7, 8, 30, 31].map { age in
            RegisteredException(Self.chainBreak("t\(age)"), key: ExceptionKey(type: .chainBreak, subject: .transaction("t\(age)")),
                                on: Self.day1.adding(days: -age))
        }
        let register = ExceptionRegister(night: Self.day1, open: exceptions)
        #expect(register.ageing.map(\.count) == [2, 2, 2, 1])
        #expect(register.open.first?.firstSeen == Self.day1.adding(days: -31), "oldest first")
    }

    @Test func aKeyNamesWhatTheRowIsAbout() {
        #expect(ExceptionKey(Discrepancy(.unbilledSession, accountID: "a", sessionID: "s", detail: ""), metricsZone: .utc).text
                == "UNBILLED_SESSION/session/s")
        #expect(ExceptionKey(Discrepancy(.balanceMismatch, accountID: "a", detail: ""), metricsZone: .utc).text == "BALANCE_MISMATCH/account/a")
        #expect(ExceptionKey(Discrepancy(.missingInLedger, paymentIntentID: "pi_1", detail: ""), metricsZone: .utc).text
                == "MISSING_IN_LEDGER/payment_intent/pi_1")
        let sample = RFC3339.parse("2026-11-16T01:00:00Z", zone: .utc)
        let zone = try! ReportTimeZone.parse("America/New_York")
        #expect(ExceptionKey(Discrepancy(.metricsConsumedMismatch, detail: "", sampledAt: sample), metricsZone: zone).text
                == "METRICS_CONSUMED_MISMATCH/metrics_day/2026-11-15", "the sample's day where the platform counts it")
        var changed = Discrepancy(.closedPeriodChanged, transactionID: "t", detail: "")
        changed.closedMonth = "2026-11"
        #expect(ExceptionKey(changed, metricsZone: .utc).text == "CLOSED_PERIOD_CHANGED/closed_month_row/2026-11/t")
    }

    @Test func monthsCountAcrossYears() throws {
        let november = try #require(CivilMonth("2026-11"))
        #expect(november.lastDay == CivilDate("2026-11-30"))
        #expect(november.adding(months: 2).description == "2027-01" && november.adding(months: -11).description == "2025-12")
        #expect(CivilMonth("2026-13") == nil && CivilMonth("2026-1") == nil && CivilMonth("2026-11-01") == nil)
        let window = try november.window(in: ReportTimeZone.parse("America/New_York"))
        #expect(window.from.utcText == "2026-11-01T04:00:00Z" && window.to.utcText == "2026-12-01T05:00:00Z")
    }
}
