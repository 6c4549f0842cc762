import AsyncHTTPClient
import CaravanCore
@testable import CaravanPostgres
@testable import CaravanStorage
import CaravanTestSupport
import Foundation
import NIOCore
import Synchronization
import Testing

/// Two real `caravan serve` processes on one PostgreSQL database, as behind a load balancer.
@Suite("Two instances on one PostgreSQL")
struct TwoInstancesTests {
    @Test("a story published through one is served by the other at once; scheduled publishing and the rates job run once")
    func twoServers() async throws {
        guard let (binary, database, drop) = try await Self.freshDatabase("caravan_two_") else { return }
        defer { drop() }

        let added = try CaravanProcess.run(binary, ["user", "add", "--database", database, "--email", "editor@caravan.test", "--role", "editor"],
                                           input: "a long enough secret\n")
        #expect(added.contains("created editor"))
        // Both fetch rates (they fail quickly without the internet; what matters is who tries) and publish every second.
        let one = try await CaravanProcess.serve(binary, database: database)
        let two = try await CaravanProcess.serve(binary, database: database)
        defer {
            one.stop()
            two.stop()
        }
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
        do {
            let web = WebSession(client: client)
            // Warm the second instance's page cache before the story exists.
            #expect(try await web.get(two.url + "/").status == 200)

            _ = try await web.get(one.url + "/admin/login")
            let signIn = try await web.post(one.url + "/admin/login", ["email": "editor@caravan.test", "password": "a long enough secret"])
            #expect(signIn.status == 303)
            _ = try await web.get(one.url + "/admin/articles/new")
            let created = try await web.post(
                one.url + "/admin/articles",
                ["title": "Two instances agree", "body": "Published through the first.", "intent": "publish", "countries": "KZ"])
            #expect(created.status == 303)

            // The other instance serves it on its very next request, page cache and all.
            #expect(try await web.get(two.url + "/articles/two-instances-agree").status == 200)
            #expect(try await web.get(two.url + "/").body.contains("Two instances agree"))
            #expect(try await web.get(two.url + "/search?q=instances").body.contains("/articles/two-instances-agree"))
            // The session made on the first works on the second: it lives in the database.
            let list = try await web.get(two.url + "/admin/articles")
            #expect(list.status == 200)
            #expect(list.body.contains("Two instances agree"))

            // A story scheduled seconds ahead (room for a loaded machine) goes out once, whichever instance's job gets there first.
            let zone = TimeZone(identifier: "Asia/Almaty")!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let due = Date().addingTimeInterval(10)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: due)
            let local = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
            _ = try await web.get(one.url + "/admin/articles/new")
            let scheduled = try await web.post(
                one.url + "/admin/articles",
                ["title": "Embargo lifts on time", "body": "Out when the clock says.", "intent": "schedule", "publish_at": local])
            #expect(scheduled.status == 303)
            let id = try #require(scheduled.location.flatMap(storyID(from:)))
            let deadline = Date().addingTimeInterval(30)
            var status: UInt = 0
            while Date() < deadline {
                status = try await web.get(two.url + "/articles/embargo-lifts-on-time").status
                if status == 200 { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(status == 200)
            // Both jobs keep running every second; give them time to publish it again if they could.
            try await Task.sleep(for: .seconds(2))
            let (revisions, rateRuns) = try await PostgresDatabase.withDatabase(url: database) { postgres in
                let revisions = try await PostgresNewsroomStore(database: postgres).revisions(of: Article.ID(id))
                let runs = try await postgres.read { connection in
                    try await connection.values("SELECT holder FROM job_run WHERE job = 'rates'", as: String.self, logger: postgres.logger)
                }
                return (revisions, runs)
            }
            #expect(revisions.filter { $0.action == .publishedOnSchedule }.count == 1)
            // Each instance tried to claim the start-up run of the rates job; one did.
            #expect(rateRuns.count == 1)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

extension TwoInstancesTests {
    /// The `caravan` built beside the tests and a new database on the test server for it, with what drops it; nil
    /// (and a printed reason) when either is missing.
    static func freshDatabase(_ prefix: String) async throws -> (URL, String, @Sendable () -> Void)? {
        guard let server = ProcessInfo.processInfo.environment["CARAVAN_TEST_POSTGRES_URL"], !server.isEmpty else {
            print("two-instance test skipped: set CARAVAN_TEST_POSTGRES_URL=postgres://… to run it")
            return nil
        }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("caravan")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            print("two-instance test skipped: no caravan executable next to the test bundle at \(binary.path)")
            return nil
        }
        let name = prefix + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let database = try await PostgresServerAdministration.createDatabase(name, server: server)
        return (binary, database, { Task { try? await PostgresServerAdministration.dropDatabase(name, server: server) } })
    }

    @Test("a photograph uploaded through either instance is served by the other, from the database, with no shared disk")
    func photographsAcrossInstances() async throws {
        guard let (binary, database, drop) = try await Self.freshDatabase("caravan_media_") else { return }
        defer { drop() }
        _ = try CaravanProcess.run(
            binary, ["user", "add", "--database", database, "--email", "photo@caravan.test", "--role", "editor"],
            input: "a long enough secret\n")
        let one = try await CaravanProcess.serve(binary, database: database)
        let two = try await CaravanProcess.serve(binary, database: database)
        defer {
            one.stop()
            two.stop()
        }
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
        do {
            let web = WebSession(client: client)
            _ = try await web.get(one.url + "/admin/login")
            #expect(try await web.post(one.url + "/admin/login", ["email": "photo@caravan.test", "password": "a long enough secret"]).status == 303)
            for (through, servedBy, width) in [(one, two, 700), (two, one, 710)] {
                _ = try await web.get(through.url + "/admin/media")
                let photo = try TestImages.gradient(width: width, height: 400, format: "jpg")
                let sent = try await web.postMultipart(
                    through.url + "/admin/media", ["alt": "Across instances"], file: ("file", "photo.jpg", photo))
                #expect(sent.status == 303)
                let page = try await web.get(servedBy.url + (sent.location ?? "/"))
                #expect(page.status == 200, "the other instance shows the photograph's page")
                let path = try #require(page.body.range(of: #"/media/[0-9a-f]{24}/640\.webp"#, options: .regularExpression).map { String(page.body[$0]) })
                let served = try await web.getBytes(servedBy.url + path)
                #expect(served.status == 200)
                #expect(try ImageSniffer.format(of: served.bytes).get() == .webp)
                #expect(try TestImages.header(of: served.bytes).width == 640)
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

/// A running `caravan serve`.
final class CaravanProcess: Sendable {
    let url: String
    private let process: Mutex<Process?>

    init(url: String, process: Process) {
        self.url = url
        self.process = Mutex(process)
    }

    func stop() {
        process.withLock { process in
            process?.interrupt()
            process?.waitUntilExit()
            process = nil
        }
    }

    static func serve(_ binary: URL, database: String) async throws -> CaravanProcess {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--database", database, "--port", "0", "--fetch-rates", "--scheduler-interval", "1"]
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_LEVEL"] = "error"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line says where it serves.
        let reader = output.fileHandleForReading
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while !text.contains("\n"), Date() < deadline {
            let data = reader.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: "http://") else {
            process.terminate()
            throw CaravanProcessError.didNotStart(text)
        }
        let url = String(text[range.lowerBound...].prefix(while: { !$0.isWhitespace }))
        return CaravanProcess(url: url.hasSuffix("/") ? String(url.dropLast()) : url, process: process)
    }

    /// Runs a command to the end and returns what it printed.
    static func run(_ binary: URL, _ arguments: [String], input: String) throws -> String {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let printed = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return printed
    }
}

enum CaravanProcessError: Error {
    case didNotStart(String)
}

/// A browser's cookies and form tokens over AsyncHTTPClient, for talking to real servers.
final class WebSession: Sendable {
    let client: HTTPClient
    private let state = Mutex<(cookies: [String: String], csrf: String?)>(([:], nil))

    struct Answer {
        let status: UInt
        let location: String?
        let body: String
    }

    init(client: HTTPClient) {
        self.client = client
    }

    func get(_ url: String) async throws -> Answer {
        try await send(HTTPClientRequest(url: url))
    }

    func post(_ url: String, _ fields: [String: String]) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        var all = fields
        all["csrf"] = state.withLock { $0.csrf }
        let body = all.map { "\(Browser.encode($0.key))=\(Browser.encode($0.value))" }.joined(separator: "&")
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request)
    }

    func postMultipart(_ url: String, _ fields: [String: String], file: (field: String, filename: String, bytes: [UInt8]))
        async throws -> Answer
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        var all = fields.map { ($0.key, $0.value) }
        if let token = state.withLock({ $0.csrf }) { all.append(("csrf", token)) }
        let (body, contentType) = Multipart.body(fields: all, files: [file])
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await send(request)
    }

    func getBytes(_ url: String) async throws -> (status: UInt, bytes: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        let cookies = state.withLock { $0.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookies) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 32 << 20)
        return (response.status.code, Array(body.readableBytesView))
    }

    private func send(_ request: HTTPClientRequest) async throws -> Answer {
        var request = request
        let cookies = state.withLock { $0.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookies) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = String(buffer: try await response.body.collect(upTo: 8 << 20))
        state.withLock { state in
            for line in response.headers["set-cookie"] {
                let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                state.cookies[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
            }
            if let token = Browser.formToken(in: body) { state.csrf = token }
        }
        return Answer(status: response.status.code, location: response.headers.first(name: "location"), body: body)
    }
}
