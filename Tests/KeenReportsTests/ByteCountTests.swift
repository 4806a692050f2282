import Testing
@testable import KeenReports

@Suite struct ByteCountTests {
    @Test func eachUnitFromItsFirstByte() {
        #expect([0, 1023, 1024, 21_000, 1_048_576, 14_260_000, 1 << 30, 67_000_000_000].map(ByteCount.text)
                == ["0 bytes", "1023 bytes", "1.0 KiB", "20.5 KiB", "1.0 MiB", "13.6 MiB", "1.0 GiB", "62.4 GiB"])
    }
}
