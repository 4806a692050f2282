import Testing
@testable import KeenReports

/// A query's rows are read by the names of its columns, wherever the SELECT
/// list puts them, and a column a reader needs but the query lacks stops the
/// query before its first row.
@Suite(.serialized) struct NamedRowsTests {
    @Test func aReorderedSelectListReadsTheSameValues() throws {
        let query = try QueryFile(text: """
            -- name: customers_reordered
            SELECT '0b7c2a54-7f1e-4c3a-9d2b-5e6f7a8b9c0d'::uuid AS user_id, 'cus_1'::text AS billing_customer_id
            """, fileName: "customers_reordered.sql")
        let transaction = try ReportTransaction(connection: try PostgresConnection(TestEnvironment.settings()), settings: [])
        var customers: [(String, String?)] = []
        try transaction.stream(query, as: BillingCustomer.self) { customers.append(($0.customerID, $0.userID)) }
        try transaction.commit()
        #expect(customers.count == 1)
        #expect(customers.first?.0 == "cus_1" && customers.first?.1 == "0b7c2a54-7f1e-4c3a-9d2b-5e6f7a8b9c0d")
    }

    @Test func aMissingColumnIsAnErrorBeforeAnyRow() throws {
        let query = try QueryFile(text: """
            -- name: customers_renamed
            SELECT 'cus_1'::text AS customer, id AS user_id FROM users
            """, fileName: "customers_renamed.sql")
        let transaction = try ReportTransaction(connection: try PostgresConnection(TestEnvironment.settings()), settings: [])
        var rows = 0
        #expect {
            try transaction.stream(query, as: BillingCustomer.self) { _ in rows += 1 }
        } throws: { error in
            (error as? EngineError)?.status == .engineFailure
                && "\(error)" == "query customers_renamed: no column named billing_customer_id (it returns customer, user_id)"
        }
        #expect(rows == 0)
    }
}
