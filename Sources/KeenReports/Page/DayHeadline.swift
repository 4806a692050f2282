/// The day's figures for the headline and the output folder's index.
extension DaySections {
    struct Headline {
        var sessionsStarted: Int64?
        var sessionsCompleted: Int64?
        var totalCost: String?
        var tokens: Int64?
        var toolExecutions: Int64?
        var reconciliationStatus: String?
        var discrepancies: Int64?
        /// Finance's exception register tonight: new and carried.
        var openExceptions: Int64?

        var json: JSONValue {
            .object([("sessions_started", sessionsStarted.map(JSONValue.integer) ?? .null),
                     ("sessions_completed", sessionsCompleted.map(JSONValue.integer) ?? .null),
                     ("total_cost", totalCost.map(JSONValue.string) ?? .null),
                     ("total_tokens", tokens.map(JSONValue.integer) ?? .null),
                     ("tool_executions", toolExecutions.map(JSONValue.integer) ?? .null),
                     ("reconciliation_status", reconciliationStatus.map(JSONValue.string) ?? .null),
                     ("discrepancies", discrepancies.map(JSONValue.integer) ?? .null),
                     ("open_exceptions", openExceptions.map(JSONValue.integer) ?? .null)])
        }
    }
}
