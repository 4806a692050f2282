import Foundation
import Testing
@testable import KeenReports

@Suite struct StripeExportTests {
    private func parse(_ text: String) throws -> [StripePayment] {
        try StripeExport.parse(Data(text.utf8), name: "payments.csv")
    }

    @Test func readsADashboardExport() throws {
        let text = "\u{FEFF}Status,Customer ID,\"Description\",id,Amount,Currency,Created date (UTC),Amount Refunded,Fee\r\n"
            + "Paid,cus_1,\"Credits, \"\"pack\"\" of 1,250\",pi_1,\"1,250.00\",usd,2026-11-15 10:05,0.00,0.30\r\n"
            + "succeeded,,plain,pi_2,50.00,USD,2026-11-15 10:05:09,\"1,000.50\",0.30\r\n"
            + "Failed,cus_3,x,pi_3,7,eur,2026-11-15 23:59:59,0,0\r\n"
        let payments = try parse(text)
        #expect(payments.count == 3)
        #expect(payments[0].id == "pi_1" && payments[0].amount == ExactDecimal("1250") && payments[0].isCollected && payments[0].isUSD)
        #expect(payments[0].created.utcText == "2026-11-15T10:05:00Z" && payments[0].customerID == "cus_1" && payments[0].line == 2)
        #expect(payments[1].isCollected && payments[1].isUSD && payments[1].customerID == "" && payments[1].amountRefunded == ExactDecimal("1000.5"))
        #expect(payments[1].created.utcText == "2026-11-15T10:05:09Z")
        #expect(!payments[2].isCollected && !payments[2].isUSD)
    }

    @Test func acceptsTheOlderCreatedColumnName() throws {
        let payments = try parse("id,Created (UTC),Amount,Amount Refunded,Currency,Status,Customer ID\npi_1,2026-11-15 10:05,5.00,0.00,usd,Paid,cus_1")
        #expect(payments.count == 1)
    }

    @Test(arguments: [
        ("id,Amount,Amount Refunded,Currency,Status,Customer ID\npi_1,5.00,0,usd,Paid,c\n", "missing column 'Created date (UTC)'"),
        ("id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer ID\npi_1,2026-11-15 10:05,5.0.0,0,usd,Paid,c\n", "line 2, column 'Amount'"),
        ("id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer ID\npi_1,2026-11-15 10:05,\"1,25.00\",0,usd,Paid,c\n", "line 2, column 'Amount'"),
        ("id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer ID\npi_1,15/11/2026,5.00,0,usd,Paid,c\n", "line 2, column 'Created date (UTC)'"),
        ("id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer ID\npi_1,2026-11-15 10:05,5.00,x,usd,Paid,c\n", "column 'Amount Refunded'"),
        ("id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer ID\npi_1,2026-11-15 10:05,5.00\n", "line 2: 3 fields"),
        ("id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer ID\n\"pi_1,2026-11-15 10:05,5.00,0,usd,Paid,c\n", "malformed CSV"),
        ("", "empty file"),
    ])
    func rejectsMalformedExportsNamingWhere(text: String, mentions: String) {
        #expect {
            try parse(text)
        } throws: { error in
            guard let error = error as? EngineError else { return false }
            return error.status == .badInput && error.message.contains("payments.csv") && error.message.contains(mentions)
        }
    }

    @Test func survivesTruncatedAndShuffledInput() {
        let text = "id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer ID\r\npi_1,2026-11-15 10:05,\"1,250.00\",0,usd,Paid,\"c,\"\"x\"\"\"\r\n"
        let bytes = Array(text.utf8)
        for length in 0...bytes.count {
            do { _ = try StripeExport.parse(Data(bytes[0..<length]), name: "t.csv") } catch let error as EngineError {
                #expect(error.status == .badInput)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let noise = (0..<Int.random(in: 0...80, using: &generator)).map { _ in bytes.randomElement(using: &generator)! }
            _ = try? StripeExport.parse(Data(noise), name: "noise.csv")
        }
    }

    @Test func parsesAmounts() {
        #expect(StripeExport.parseAmount("1,250.00") == ExactDecimal("1250.00"))
        #expect(StripeExport.parseAmount("1,234,567.5") == ExactDecimal("1234567.5"))
        #expect(StripeExport.parseAmount("50") == ExactDecimal("50"))
        for bad in ["", ",", "1,25", "12,50.00", "1.2.3", "$5", "5.", ".5", "1 000"] {
            #expect(StripeExport.parseAmount(bad) == nil, "\(bad)")
        }
    }

    @Test func ordersDiscrepanciesAsTheSpecSays() {
        let rows = [
            Discrepancy(.chainBreak, accountID: "b", transactionID: "2", detail: ""),
            Discrepancy(.balanceMismatch, accountID: "a", detail: ""),
            Discrepancy(.chainBreak, accountID: "b", transactionID: "1", detail: ""),
            Discrepancy(.chainBreak, accountID: nil, transactionID: "9", detail: ""),
            Discrepancy(.amountMismatch, accountID: "z", detail: ""),
        ].sorted(by: Discrepancy.precedes)
        #expect(rows.map { "\($0.type.rawValue):\($0.accountID ?? ""):\($0.transactionID ?? "")" }
                == ["AMOUNT_MISMATCH:z:", "BALANCE_MISMATCH:a:", "CHAIN_BREAK::9", "CHAIN_BREAK:b:1", "CHAIN_BREAK:b:2"])
    }
}

@Suite struct StripeExportLineTests {
    @Test func namesTheLineAnEditorShows() {
        // The bad amount is on line 6: a quoted field spans lines 3-4, line 5 is blank.
        let text = "id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer ID\n"
            + "pi_1,2026-11-15 10:05,5.00,0,usd,Paid,c\n"
            + "pi_2,2026-11-15 10:05,5.00,0,usd,\"Paid\nreally\",c\n"
            + "\n"
            + "pi_3,2026-11-15 10:05,5.0x,0,usd,Paid,c\n"
        #expect {
            try StripeExport.parse(Data(text.utf8), name: "p.csv")
        } throws: { error in
            (error as? EngineError)?.message.contains("line 6, column 'Amount'") == true
        }
        #expect {
            try StripeExport.parse(Data("id,Amount\n\"unclosed,1\n".utf8), name: "p.csv")
        } throws: { error in
            (error as? EngineError)?.message.contains("line 2") == true
        }
    }

    @Test func recordsCarryTheirFirstLine() throws {
        let records = try LibCSVParser.numberedRecords(of: "a,b\r\n\r\n\"x\ny\",z\nlast,one")
        #expect(records.map(\.line) == [1, 3, 5])
        #expect(records.map(\.fields) == [["a", "b"], ["x\ny", "z"], ["last", "one"]])
    }
}
