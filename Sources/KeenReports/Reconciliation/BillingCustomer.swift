/// One row of `reconciliation_customers`: a Stripe customer and the user it
/// belongs to, for the payments the ledger does not hold.
struct BillingCustomer: QueryRow {
    let customerID: String
    let userID: String?

    struct Columns {
        let customerID, userID: Int
    }

    static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
        Columns(customerID: try result.position(of: "billing_customer_id"), userID: try result.position(of: "user_id"))
    }

    init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
        customerID = row.text(columns.customerID) ?? ""
        userID = try row.uuid(columns.userID)
    }
}
