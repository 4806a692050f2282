/// How a query reads its parameters back from the transaction's settings.
///
/// PostgreSQL plans a query well only when it can see its parameters'
/// values: a window that covers a year wants a parallel sequential scan and
/// hash joins, one that covers a day wants index scans and nested loops.
///
/// - `folded`: through session-temporary functions declared IMMUTABLE
///   (`pg_temp.keen_param_timestamptz('keen.from')`). The planner folds each
///   call into a constant before planning, so it sees the values, and the
///   value is read once. Declaring them immutable is sound here because no
///   plan outlives the statement (COPY plans afresh each time) and the
///   settings do not change during a transaction. Needs the TEMP privilege,
///   which every role has unless revoked; not possible on a hot standby.
/// - `initPlan`: `(SELECT current_setting('keen.from')::timestamptz)`, an
///   InitPlan read once per query, where temporary functions cannot be
///   made. The planner cannot see the values and guesses a window to be
///   small; the results are the same, whole-range runs slower (measured: a
///   nested loop over a million sessions, BENCHMARKS.md). A bare
///   `current_setting(...)` is not used: it is re-evaluated and re-parsed for
///   every row a filter looks at.
public enum ParameterReading: Sendable {
    case folded
    case initPlan

    static func functionName(_ type: QueryParameter.ValueType) -> String {
        "pg_temp.keen_param_\(type.rawValue)"
    }

    /// Creates the functions on `connection` (outside any transaction) and
    /// says which reading its queries can use.
    static func prepare(_ connection: PostgresConnection) -> ParameterReading {
        do {
            for type in QueryParameter.ValueType.allCases {
                // Names of types, fixed by the engine; no value is spliced.
                try connection.execute("""
                    CREATE OR REPLACE FUNCTION \(functionName(type))(setting text) RETURNS \(type.rawValue)
                    LANGUAGE sql IMMUTABLE PARALLEL SAFE
                    AS $$ SELECT nullif(current_setting(setting), '')::\(type.rawValue) $$
                    """)
            }
            return .folded
        } catch {
            return .initPlan
        }
    }
}
