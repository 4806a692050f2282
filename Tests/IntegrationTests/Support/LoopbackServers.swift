import Foundation
import Testing

/// A Python server of Support/ on a loopback port (mail_server.py,
/// http_receiver.py), in the run's virtual environment: started, waited for
/// until it prints "ready", and stopped by closing its standard input.
final class LoopbackServer {
    let port: Int
    let folder: String
    private let process = Process()
    private let input = Pipe()

    init(script: String, arguments: (Int, String) -> [String]) throws {
        let python = try #require(ProcessInfo.processInfo.environment["KEEN_TEST_PYTHON"], "set by scripts/test")
        folder = try TestEnvironment.temporaryDirectory()
        port = 20_000 + Int.random(in: 0..<40_000)
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [TestEnvironment.packageRoot.path + "/Tests/IntegrationTests/Support/" + script] + arguments(port, folder)
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let ready = output.fileHandleForReading.availableData
        try #require(String(decoding: ready, as: UTF8.self).hasPrefix("ready"), "\(script) did not start")
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The files it saved with this extension, in order.
    func saved(_ suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(suffix) }.sorted().map { folder + "/" + $0 }
    }
}

/// A throwaway CA and a certificate for 127.0.0.1 signed by it (openssl),
/// and a password file only its owner reads.
struct MailCredentials {
    let folder: String
    var caFile: String { folder + "/ca.pem" }
    var certificate: String { folder + "/server.pem" }
    var key: String { folder + "/server.key" }
    var passwordFile: String { folder + "/password" }
    let user = "keen-reports"
    let password = "s3cret-smtp-pw"

    init() throws {
        folder = try TestEnvironment.temporaryDirectory()
        let script = """
            set -e; cd '\(folder)'
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -subj '/CN=keen test CA' -days 2
            openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1'
            printf 'subjectAltName=IP:127.0.0.1\\n' > ext.cnf
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf
            """
        try #require(system("(\(script)) > /dev/null 2>&1") == 0, "openssl could not make the certificates")
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
        chmod(passwordFile, 0o600)
    }

    func mailServer(failFirst: Int = 0) throws -> LoopbackServer {
        try LoopbackServer(script: "mail_server.py") { port, folder in
            [String(port), folder, certificate, key, user, password] + (failFirst > 0 ? ["--fail-first", String(failFirst)] : [])
        }
    }
}

/// A message as Python's email package reads it (Support/mail_read.py).
struct ReadMessage: Decodable {
    struct Part: Decodable {
        let content_type: String
        let filename: String?
        let disposition: String?
        let sha256: String?
    }

    let subject: String
    let from: String
    let to: String
    let date: String
    let message_id: String
    let defects: [String]
    let parts: [Part]
    let text: String

    init(_ path: String) throws {
        self = try JSONDecoder().decode(ReadMessage.self, from: try TestEnvironment.python("mail_read.py", [path]))
    }
}
