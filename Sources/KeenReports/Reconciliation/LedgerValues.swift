/// The `transaction_type`s the schema names.
enum TransactionType: String, CaseIterable, Sendable {
    case purchase, usage, refund, adjustment
}

/// The `reconciliation_status`es the schema names (NULL is "never set").
enum ReconciliationStatus: String, CaseIterable, Sendable {
    case pending, reconciled, disputed
}
