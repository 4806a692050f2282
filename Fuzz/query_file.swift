/// libFuzzer entry: any text given to the query-file parser either parses
/// (and rewrites its placeholders) or is rejected as bad input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQueryFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let query = try QueryFile(text: text, fileName: "fuzz.sql")
        _ = query.boundSQL { "'x'::\($0.type.rawValue)" }
    } catch {
        precondition(error.status == .badInput, "unexpected \(error)")
    }
    return 0
}
