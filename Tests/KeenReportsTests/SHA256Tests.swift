import Testing
@testable import KeenReports

@Suite struct SHA256Tests {
    private func digest(_ text: String, chunk: Int = .max) -> String {
        let hasher = SHA256()
        let bytes = Array(text.utf8)
        var start = 0
        repeat {
            let end = min(bytes.count, start + chunk)
            hasher.update(Array(bytes[start..<end]))
            start = end
        } while start < bytes.count
        return hasher.finalizeHex()
    }

    @Test func matchesTheFIPSTestVectors() {
        #expect(digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(digest(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        for chunk in [1, 3, 63, 64, 65] {
            #expect(digest(long, chunk: chunk) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        }
        #expect(digest(String(repeating: "a", count: 1_000_000), chunk: 4096)
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
