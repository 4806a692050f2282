import Testing
@testable import KeenReports

/// Names numbered in the order first seen, found again by their bytes, and
/// refused past the 64 a bit mask of tools holds.
@Suite struct NameIndexTests {
    private func index(_ names: inout NameIndex, _ name: String) throws -> Int {
        let bytes = Array(name.utf8)
        return try bytes.withUnsafeBytes { try names.index(of: $0) }
    }

    @Test func numbersNamesInTheOrderFirstSeen() throws {
        var names = NameIndex(of: "tool names")
        let seen = try ["read_file", "web", "read_file", "web_fetch", "", "web", "web_fetch", ""].map { try index(&names, $0) }
        #expect(seen == [0, 1, 0, 2, 3, 1, 2, 3])
        #expect(names.names.map { String(decoding: $0, as: UTF8.self) } == ["read_file", "web", "web_fetch", ""])
    }

    /// Names that share a length, a prefix or a suffix, met in every
    /// order: each found again by its own number, whatever its hash collides with.
    @Test func findsInterleavedNamesThatLookAlike() throws {
        var names = NameIndex(of: "tool names")
        let known = (0..<64).map { number in ["tool_\(number)", "a_long_common_prefix_\(number)", "\(number)_and_a_long_common_suffix",
                                             String(repeating: "x", count: number)][number % 4] }
        let numbers = try known.map { try index(&names, $0) }
        #expect(numbers == Array(0..<64))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let number = Int.random(in: 0..<64, using: &generator)
            #expect(try index(&names, known[number]) == number)
        }
    }

    @Test func refusesTheSixtyFifthName() throws {
        var names = NameIndex(of: "tool names")
        for number in 0..<64 { #expect(try index(&names, "tool_\(number)") == number) }
        #expect(try index(&names, "tool_7") == 7)
        #expect(throws: EngineError.self) { try index(&names, "tool_64") }
    }
}
