import CLibCurl
import Foundation

/// One libcurl easy handle, for one transfer: an SMTP submission (STARTTLS
/// or TLS, AUTH) or an HTTP POST. Its C pointers stay in here.
final class Curl {
    /// How a transfer ended: libcurl's own code and text, and the server's
    /// last answer (the SMTP reply code or the HTTP status; 0 when none came).
    struct Outcome {
        let code: CURLcode
        let error: String
        let responseCode: Int
        let responseBody: String

        var succeeded: Bool { code == CURLE_OK }
    }

    /// The bytes to upload, pulled as libcurl asks for them.
    protocol Source: AnyObject {
        /// Fills `buffer`; 0 at the end.
        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    }

    private let handle: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    /// libcurl writes its error text here during a transfer: it must outlive the handle's use.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    private static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    init() throws(EngineError) {
        guard Self.initialised, let handle = curl_easy_init() else { throw .engine("libcurl could not be initialised") }
        self.handle = handle
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = keen_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_CONNECTTIMEOUT, 15)
        set(CURLOPT_TIMEOUT, 300)
        // Only the protocols delivery speaks, also after a redirect.
        set(CURLOPT_PROTOCOLS_STR, "smtp,smtps,http,https")
        set(CURLOPT_REDIR_PROTOCOLS_STR, "https")
    }

    deinit {
        curl_easy_cleanup(handle)
        lists.forEach { curl_slist_free_all($0) }
        errorBuffer.deallocate()
    }

    /// Submits `message` to `url` (smtp:// with STARTTLS required unless
    /// `requireTLS` is false, or smtps://), as `from`, for `recipients`.
    func sendMail(url: String, requireTLS: Bool, caFile: String?, username: String?, password: String?,
                  from: String, recipients: [String], message: Source) -> Outcome {
        set(CURLOPT_URL, url)
        set(CURLOPT_USE_SSL, Int(requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_NONE.rawValue))
        if let caFile { set(CURLOPT_CAINFO, caFile) }
        if let username { set(CURLOPT_USERNAME, username) }
        if let password { set(CURLOPT_PASSWORD, password) }
        set(CURLOPT_MAIL_FROM, from)
        set(CURLOPT_MAIL_RCPT, list(recipients))
        set(CURLOPT_UPLOAD, 1)
        return perform(upload: message)
    }

    /// Connects to `url` as `sendMail` would (greeting, EHLO, STARTTLS,
    /// AUTH) and stops there: nothing is sent.
    func tryMailLogin(url: String, requireTLS: Bool, caFile: String?, username: String?, password: String?) -> Outcome {
        set(CURLOPT_URL, url)
        set(CURLOPT_USE_SSL, Int(requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_NONE.rawValue))
        if let caFile { set(CURLOPT_CAINFO, caFile) }
        if let username { set(CURLOPT_USERNAME, username) }
        if let password { set(CURLOPT_PASSWORD, password) }
        set(CURLOPT_CONNECT_ONLY, 1)
        return perform(upload: nil)
    }

    /// POSTs `body` as `application/json` to `url`.
    func postJSON(url: String, caFile: String?, body: Data) -> Outcome {
        set(CURLOPT_URL, url)
        if let caFile { set(CURLOPT_CAINFO, caFile) }
        set(CURLOPT_HTTPHEADER, list(["Content-Type: application/json", "User-Agent: keen-reports/\(EngineVersion.current)"]))
        set(CURLOPT_POST, 1)
        set(CURLOPT_POSTFIELDSIZE, body.count)
        return body.withUnsafeBytes { bytes in
            keen_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            return perform(upload: nil)
        }
    }

    private func perform(upload: Source?) -> Outcome {
        let context = Context(source: upload)
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        if upload != nil {
            keen_curl_setopt_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, pointer in
                let context = Unmanaged<Context>.fromOpaque(pointer!).takeUnretainedValue()
                do {
                    return try context.source!.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
                } catch {
                    context.readError = error
                    return Int(CURL_READFUNC_ABORT)
                }
            }
            keen_curl_setopt_pointer(handle, CURLOPT_READDATA, unmanaged.toOpaque())
        }
        keen_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { buffer, size, count, pointer in
            let context = Unmanaged<Context>.fromOpaque(pointer!).takeUnretainedValue()
            // Enough of the answer to record it; the rest is not kept.
            if context.response.count < 4096, let buffer { context.response.append(UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: size * count) }
            return size * count
        }
        keen_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque())
        let code = curl_easy_perform(handle)
        var response = 0
        _ = keen_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response)
        var error = String(cString: errorBuffer)
        if error.isEmpty, code != CURLE_OK { error = String(cString: curl_easy_strerror(code)) }
        if let readError = context.readError { error = "reading the message: \(readError)" }
        return Outcome(code: code, error: error, responseCode: response,
                       responseBody: String(decoding: context.response.prefix(1024), as: UTF8.self))
    }

    private final class Context {
        let source: Source?
        var response = Data()
        var readError: Error?
        init(source: Source?) { self.source = source }
    }

    private func list(_ items: [String]) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items { list = curl_slist_append(list, item) }
        if let list { lists.append(list) }
        return list
    }

    private func set(_ option: CURLoption, _ value: Int) { _ = keen_curl_setopt_long(handle, option, value) }
    private func set(_ option: CURLoption, _ value: String) { _ = keen_curl_setopt_string(handle, option, value) }
    private func set(_ option: CURLoption, _ value: UnsafeMutablePointer<curl_slist>?) { _ = keen_curl_setopt_slist(handle, option, value) }
}
