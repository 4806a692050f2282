import Foundation

/// One email as RFC 5322 and MIME ask, produced as libcurl reads it:
/// `multipart/mixed` of a `multipart/alternative` (the plain-text summary and
/// the day's page as HTML) and the attachments. Files are read and base64
/// encoded a chunk at a time, never held whole, so a 10 MiB attachment costs
/// a few kilobytes of memory.
final class MailMessage: Curl.Source {
    struct Attachment {
        let path: String
        let name: String
        let contentType: String
    }

    private enum Piece {
        case bytes(Data)
        case file(String)
    }

    private var pieces: [Piece]
    /// Bytes made but not yet read, from `pendingStart` on; emptied once read,
    /// so it never holds more than one chunk.
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var file: FileHandle?

    /// 57 bytes make one 76-character base64 line.
    private static let chunk = 57 * 256

    init(from: String, to: [String], subject: String, date: Date, messageID: String, text: String, htmlFile: String?,
         attachments: [Attachment]) {
        let mixed = "=_keen_mixed_" + UUID().uuidString, alternative = "=_keen_alternative_" + UUID().uuidString
        var head = """
            From: \(Self.encodedAddress(from))\r
            To: \(to.joined(separator: ", "))\r
            Subject: \(Self.encodedWord(subject))\r
            Date: \(Self.rfc5322(date))\r
            Message-ID: \(messageID)\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="\(mixed)"\r
            \r
            This is a message in MIME format.\r
            --\(mixed)\r
            Content-Type: multipart/alternative; boundary="\(alternative)"\r
            \r
            --\(alternative)\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: base64\r
            \r

            """
        head += Self.base64Lines(Data(text.utf8))
        var pieces: [Piece] = []
        if let htmlFile {
            head += "--\(alternative)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            pieces = [.bytes(Data(head.utf8)), .file(htmlFile)]
            head = ""
        }
        head += "--\(alternative)--\r\n"
        pieces.append(.bytes(Data(head.utf8)))
        for attachment in attachments {
            let name = Self.parameter(attachment.name)
            pieces.append(.bytes(Data("""
                --\(mixed)\r
                Content-Type: \(attachment.contentType); name=\(name)\r
                Content-Disposition: attachment; filename=\(name)\r
                Content-Transfer-Encoding: base64\r
                \r

                """.utf8)))
            pieces.append(.file(attachment.path))
        }
        pieces.append(.bytes(Data("--\(mixed)--\r\n".utf8)))
        self.pieces = pieces.reversed()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
            while pending.isEmpty, let next = try nextBytes() { pending.append(contentsOf: next) }
        }
        let count = min(buffer.count, pending.count - pendingStart)
        pending.withUnsafeBytes { bytes in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[pendingStart..<(pendingStart + count)]))
        }
        pendingStart += count
        return count
    }

    /// The next bytes of the message, or nil at its end.
    private func nextBytes() throws -> Data? {
        if let file {
            let data = try file.read(upToCount: Self.chunk) ?? Data()
            if !data.isEmpty { return Data(Self.base64Lines(data).utf8) }
            try file.close()
            self.file = nil
        }
        guard let piece = pieces.popLast() else { return nil }
        switch piece {
        case .bytes(let data):
            return data
        case .file(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw EngineError.output("cannot read \(path) to attach it: \(String(cString: strerror(errno)))")
            }
            file = handle
            return Data()
        }
    }

    /// Base64 in lines of 76 characters, each ended by CRLF.
    static func base64Lines(_ data: Data) -> String {
        guard !data.isEmpty else { return "" }
        return data.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]) + "\r\n"
    }

    /// An RFC 2047 encoded word when the text is not plain ASCII.
    static func encodedWord(_ text: String) -> String {
        let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        return plain ? text : "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    /// `Name <address>` with the name encoded when it needs to be.
    static func encodedAddress(_ address: String) -> String {
        guard let open = address.firstIndex(of: "<") else { return address }
        let name = address[..<open].trimmingWhitespaceString()
        return name.isEmpty ? String(address[open...]) : "\(encodedWord(name)) \(address[open...])"
    }

    /// A MIME parameter value: quoted, or RFC 2231 when not ASCII.
    static func parameter(_ value: String) -> String {
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) { return "\"\(value)\"" }
        return "\"\(encodedWord(value))\""
    }

    /// `Wed, 02 Dec 2026 03:15:00 +0000`.
    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "csv": "text/csv; charset=utf-8"
        case "json": "application/json"
        case "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case "html": "text/html; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
