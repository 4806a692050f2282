import Foundation

/// libFuzzer entry: any bytes given to the Stripe export parser either parse
/// or are rejected as bad input (exit status 65); nothing else may happen.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStripeExport(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    do {
        _ = try StripeExport.parse(Data(bytes: data, count: size), name: "fuzz.csv")
    } catch {
        precondition(error.status == .badInput, "unexpected \(error)")
    }
    return 0
}
