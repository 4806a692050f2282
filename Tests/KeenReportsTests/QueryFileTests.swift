import Testing
@testable import KeenReports

@Suite struct QueryFileTests {
    let text = """
    -- name: sample
    -- What it does,
    -- over two lines.
    -- param: from timestamptz  start of the window
    -- param: user_id uuid?  one user
    SELECT ':from is text', "col:from", x::text, $$ :from $$, $tag$ :user_id $tag$ -- :from in a comment
    FROM t /* :from */ WHERE ts >= :from AND (:user_id IS NULL OR u = :user_id)
    """

    @Test func readsTheHeader() throws {
        let query = try QueryFile(text: text, fileName: "sample.sql")
        #expect(query.name == "sample")
        #expect(query.documentation == "What it does,\nover two lines.")
        #expect(query.parameters.map(\.name) == ["from", "user_id"])
        #expect(query.parameters[0].type == .timestamptz && !query.parameters[0].optional)
        #expect(query.parameters[1].type == .uuid && query.parameters[1].optional)
        #expect(query.parameters[0].meaning == "start of the window")
    }

    @Test func rewritesOnlyRealPlaceholders() throws {
        let sql = try QueryFile(text: text, fileName: "sample.sql").boundSQL { "LITERAL_\($0.name)::\($0.type.rawValue)" }
        #expect(sql.contains("WHERE ts >= (LITERAL_from::timestamptz)"))
        #expect(sql.contains("((LITERAL_user_id::uuid) IS NULL OR u = (LITERAL_user_id::uuid))"))
        // Literals, identifiers, dollar quotes, comments and casts untouched.
        #expect(sql.contains("':from is text'"))
        #expect(sql.contains("\"col:from\""))
        #expect(sql.contains("x::text"))
        #expect(sql.contains("$$ :from $$"))
        #expect(sql.contains("$tag$ :user_id $tag$"))
        #expect(sql.contains("-- :from in a comment"))
        #expect(sql.contains("/* :from */"))
    }

    @Test func rejectsBrokenHeaders() {
        #expect(throws: EngineError.self) { try QueryFile(text: "SELECT 1", fileName: "a.sql") }
        #expect(throws: EngineError.self) { try QueryFile(text: "-- name: a b\nSELECT 1", fileName: "a.sql") }
        #expect(throws: EngineError.self) { try QueryFile(text: "-- name: a\n-- param: x float\nSELECT :x", fileName: "a.sql") }
        #expect(throws: EngineError.self) { try QueryFile(text: "-- name: a\nSELECT :undeclared", fileName: "a.sql") }
        #expect(throws: EngineError.self) { try QueryFile(text: "-- name: a\n-- param: x text\n-- param: x text\nSELECT :x", fileName: "a.sql") }
        #expect(throws: EngineError.self) { try QueryFile(text: "-- name: a\n", fileName: "a.sql") }
    }

    @Test func survivesTruncatedInput() {
        // Every prefix of a valid file either parses or throws; none crashes.
        let bytes = Array(text.utf8)
        for length in 0...bytes.count {
            _ = try? QueryFile(text: String(decoding: bytes[0..<length], as: UTF8.self), fileName: "t.sql")
        }
        _ = try? QueryFile(text: "-- name: a\nSELECT 'unterminated :x", fileName: "t.sql")
        _ = try? QueryFile(text: "-- name: a\nSELECT $x$ :y", fileName: "t.sql")
        _ = try? QueryFile(text: "-- name: a\nSELECT E'\\", fileName: "t.sql")
    }
}
