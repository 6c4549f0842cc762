import CaravanCore
import CaravanRates
import CaravanSQLite
import CaravanStorage
@testable import CaravanWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("No input takes the server down, and it says when it is not well")
struct HardeningTests {
    // MARK: HEAD and 405

    @Test("HEAD answers every GET address with the same status and headers and no body")
    func headRequests() async throws {
        try await withSite(demo: true) { client, _ in
            for path in ["/", "/articles/\(try #require(await firstSlug(client)))", "/search?q=water", "/feed.xml",
                "/sitemap.xml", "/api/v1/search?q=water", "/rates", "/healthz", "/no/such/page"] {
                let get = try await client.get(path)
                let head = try await client.execute(uri: path, method: .head) { response in
                    (response.status, response.headers, response.body.readableBytes)
                }
                #expect(head.0 == get.status, "\(path)")
                #expect(head.2 == 0, "\(path) sent a body to HEAD")
                #expect(head.1[.contentType] == get.headers[.contentType], "\(path)")
                #expect(head.1[.eTag] == get.headers[.eTag], "\(path)")
                if let length = head.1[.contentLength] { #expect(Int(length) == get.body.utf8.count, "\(path)") }
            }
        }
    }

    @Test("A method an address does not answer is 405 with Allow; an unknown address stays 404")
    func methodNotAllowed() async throws {
        try await withSite(demo: true) { client, _ in
            let page = try await client.execute(uri: "/", method: .post) { ($0.status, $0.headers, String(buffer: $0.body)) }
            #expect(page.0 == .methodNotAllowed)
            #expect(page.1[.allow] == "GET, HEAD")
            #expect(page.2.contains("<html"))
            let api = try await client.execute(uri: "/api/v1/search?q=water", method: .delete) {
                ($0.status, $0.headers, String(buffer: $0.body))
            }
            #expect(api.0 == .methodNotAllowed)
            #expect(api.1[.allow] == "GET, OPTIONS, HEAD")
            #expect(api.2.contains(#""code":"method_not_allowed""#))
            let unknown = try await client.execute(uri: "/no/such/page", method: .post) { $0.status }
            #expect(unknown == .notFound)
        }
    }

    @Test("A newsroom address that takes forms allows POST and says so")
    func newsroomAllow() async throws {
        try await withNewsroom { client, _ in
            let answer = try await client.execute(uri: "/admin/login", method: .put) { ($0.status, $0.headers) }
            #expect(answer.0 == .methodNotAllowed)
            #expect(answer.1[.allow] == "GET, POST, HEAD")
            // Signing out is a form's POST: a link or a prefetch cannot do it, and is told so.
            let link = try await client.execute(uri: "/admin/logout", method: .get) { ($0.status, $0.headers) }
            #expect(link.0 == .methodNotAllowed)
            #expect(link.1[.allow] == "POST")
        }
    }

    // MARK: Security headers

    @Test("Every public answer carries the browser protections; HSTS only over https")
    func securityHeaders() async throws {
        try await withSite(demo: true) { client, _ in
            let css = try await client.get("/").body.firstMatch(of: /href="(\/static\/caravan\.css[^"]*)"/).map { String($0.1) }
            for path in ["/", "/search?q=water", "/feed.xml", "/api/v1/search?q=water", "/no/such/page", try #require(css)] {
                let answer = try await client.get(path)
                #expect(answer.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true, "\(path)")
                #expect(answer.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'self'") == true, "\(path)")
                #expect(answer.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path)")
                #expect(answer.headers[HTTPField.Name("Referrer-Policy")!] == "strict-origin-when-cross-origin", "\(path)")
                #expect(answer.headers[HTTPField.Name("Strict-Transport-Security")!] == nil, "\(path)")
            }
            let proxied = try await client.get("/", headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(proxied.headers[HTTPField.Name("Strict-Transport-Security")!] == "max-age=31536000")
        }
    }

    @Test("The newsroom keeps its stricter policy")
    func newsroomPolicy() async throws {
        try await withNewsroom { client, _ in
            let page = try await client.get("/admin/login")
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
        }
    }

    // MARK: Answers

    @Test("per_page out of range is the same 400 on the pages and the API, as JSON on the API")
    func perPageRule() async throws {
        try await withSite(demo: true) { client, _ in
            for value in ["0", "51", "-3", "ten", "99999999999999999999"] {
                for path in ["/api/v1/search?q=water&per_page=\(value)", "/api/v1/articles?per_page=\(value)"] {
                    let answer = try await client.get(path)
                    #expect(answer.status == .badRequest, "\(path)")
                    #expect(answer.body.contains(#""code":"bad_request""#), "\(path)")
                    #expect(answer.body.contains("per_page must be a whole number from 1 to 50"), "\(path)")
                }
                let page = try await client.get("/search?q=water&per_page=\(value)")
                #expect(page.status == .badRequest)
                #expect(page.body.contains("per_page must be a whole number from 1 to 50"))
            }
            #expect(try await client.get("/api/v1/search?q=water&per_page=50").status == .ok)
        }
    }

    @Test("An over-long address is a 414 the client can read, JSON under /api")
    func longAddress() async throws {
        try await withSite(demo: true) { client, _ in
            let long = String(repeating: "a", count: 100_000)
            let api = try await client.get("/api/v1/search?q=\(long)")
            #expect(api.status == .uriTooLong)
            #expect(api.body.contains(#""code":"uri_too_long""#))
            let page = try await client.get("/search?q=\(long)")
            #expect(page.status == .uriTooLong)
            #expect(page.body.contains("longer than 65536 characters"))
        }
    }

    @Test("A connection that sends no request head is closed after the idle timeout")
    func idleConnectionsAreClosed() async throws {
        let database = try SQLiteDatabase.inMemory()
        let zone = TimeZone(identifier: "Asia/Almaty")!
        let app = try await buildApplication(
            SiteDependencies(
                store: SQLiteArticleStore(database: database), search: SQLiteSearchIndex(database: database, timeZone: zone),
                rates: RateDesk(store: SQLiteRateStore(database: database), timeZone: zone)),
            server: ServerOptions(port: 0, idleTimeout: .seconds(1)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            for slowly in [false, true] {
                // On a thread of its own: the blocking socket must not wait behind other tests on the shared pool.
                let seconds = await withCheckedContinuation { continuation in
                    Thread { continuation.resume(returning: Self.secondsUntilClosed(port: port, trickle: slowly, limit: 20)) }
                        .start()
                }
                let what = slowly ? "a client trickling its headers" : "an idle connection"
                let closed = try #require(seconds, "\(what) was still open after 20 s")
                // Closed by the timer, not refused at once: the server never sees a whole request head.
                #expect(closed >= 0.9, "\(what) was closed after \(closed) s")
            }
        }
    }

    /// Connects, optionally sends a request head one byte every 200 ms, and returns how long the server took to close
    /// the connection, or nil if it had not within `limit` seconds.
    private static func secondsUntilClosed(port: Int, trickle: Bool, limit: Int) -> Double? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let started = Date()
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let deadline = Date().addingTimeInterval(Double(limit))
        var byte: UInt8 = 0
        if trickle {
            let head = "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
            _ = send(socket, head, head.utf8.count, Int32(MSG_NOSIGNAL))
        }
        while Date() < deadline {
            // A header value a byte at a time, never the end of the head.
            if trickle { _ = send(socket, "a", 1, Int32(MSG_NOSIGNAL)) }
            let received = recv(socket, &byte, 1, 0)
            if received == 0 || (received < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                return Date().timeIntervalSince(started)
            }
        }
        return nil
    }

    // MARK: Markdown

    @Test("Pathological Markdown renders, whole, without taking the process down")
    func pathologicalMarkdown() async throws {
        for pattern in MarkdownStress.patterns(bytes: 20_000) {
            let html = ArticleBody.html(fromMarkdown: pattern.text)
            #expect(!html.isEmpty, "\(pattern.name)")
            #expect(!html.contains("<script"), "\(pattern.name)")
        }
        // The line that killed the process: ten thousand brackets, previewed and saved.
        let brackets = ArticleBody.html(fromMarkdown: String(repeating: "[", count: 10_000))
        #expect(brackets == "<p>" + String(repeating: "[", count: 10_000) + "</p>\n")
    }

    @Test("A story of ten thousand brackets saves and shows like any other")
    func bracketStory() async throws {
        let body = String(repeating: "[", count: 10_000) + "\n\nThe second paragraph."
        try await withSite(stories: [story("b1", title: "Brackets", body: body)]) { client, _ in
            let page = try await client.get("/articles/brackets")
            #expect(page.status == .ok)
            #expect(page.body.contains("<p>The second paragraph.</p>"))
        }
    }

    // MARK: Health

    @Test("/healthz says unhealthy, and writes fail with 503, once the database file is gone")
    func healthWhenFileIsGone() async throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("site.sqlite").path
        let database = try SQLiteDatabase.open(path: path)
        let stores = Stores.sqlite(database, timeZone: TimeZone(identifier: "Asia/Almaty")!)
        _ = try await stores.articles.save([story("h1", title: "Before")])
        let app = try await buildApplication(
            SiteDependencies(
                store: stores.articles, search: stores.search,
                rates: RateDesk(store: stores.rates, timeZone: TimeZone(identifier: "Asia/Almaty")!),
                checkHealth: stores.checkHealth))
        try await app.test(.router) { client in
            #expect(try await client.get("/healthz").body == "ok\n")
            try FileManager.default.removeItem(atPath: path)
            let health = try await client.get("/healthz")
            #expect(health.status == .serviceUnavailable)
            #expect(health.body.contains("is gone"))
            // A write no longer "succeeds" into a file nobody will read again.
            await #expect(throws: StorageError.self) { _ = try await stores.articles.save([story("h2", title: "After")]) }
        }
        // And a restart does not quietly make an empty database in its place.
        #expect(throws: StorageError.self) { _ = try SQLiteDatabase.open(path: path) }
        do {
            _ = try SQLiteDatabase.open(path: path)
        } catch {
            #expect("\(error)".contains("restore it from a backup"))
        }
    }

    @Test("A damaged database file is refused at start with a sentence")
    func corruptDatabase() async throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("site.sqlite").path
        do {
            let database = try SQLiteDatabase.open(path: path)
            let stores = Stores.sqlite(database, timeZone: TimeZone(identifier: "Asia/Almaty")!)
            _ = try await stores.articles.save((1...300).map { story("c\($0)", title: "Story \($0)", body: String(repeating: "Words here. ", count: 200)) })
        }
        // Overwrite the middle of the file, as a failing disk would.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 3)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: Int(size / 3)))
        try handle.close()
        do {
            _ = try SQLiteDatabase.open(path: path)
            Issue.record("a damaged file was opened")
        } catch {
            #expect("\(error)".contains("damaged"), "\(error)")
        }
        // Not a database at all.
        let text = folder.appendingPathComponent("notes.sqlite").path
        try Data(String(repeating: "not a database\n", count: 1000).utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: StorageError.self) { _ = try SQLiteDatabase.open(path: text) }
    }

    // MARK: Page cache

    @Test("The page cache stays within its budget of bytes and does not keep over-long addresses")
    func pageCacheBudget() async throws {
        let cache = PageCache(budget: 200_000)
        func page() -> PageCache.Entry {
            PageCache.Entry(version: 1, day: "1", body: ByteBuffer(bytes: [UInt8](repeating: 65, count: 5_000)))
        }
        for index in 0..<2_000 {
            cache.store(page(), for: "/search?q=word\(index)")
        }
        #expect(cache.bytesHeld <= 200_000)
        #expect(cache.bytesHeld > 150_000)
        #expect(cache.entry(for: "/search?q=word1999", version: 1, day: "1") != nil)
        #expect(cache.entry(for: "/search?q=word0", version: 1, day: "1") == nil)
        let long = "/search?q=" + String(repeating: "x", count: 60_000)
        cache.store(page(), for: long)
        #expect(cache.entry(for: long, version: 1, day: "1") == nil)
        // Storing the same address again replaces it without counting it twice.
        let held = cache.bytesHeld
        cache.store(page(), for: "/search?q=word1999")
        #expect(cache.bytesHeld == held)
    }

    // MARK: Sign-in

    @Test("Five wrong passwords from one client lock that client out of that account, not the owner elsewhere")
    func throttlingPerClient() async throws {
        try await withNewsroom { client, fixture in
            try await fixture.person("editor@example.org", .editor)
            let attacker = Browser(client)
            let from: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9"]
            var statuses: [HTTPResponse.Status] = []
            _ = try await attacker.get("/admin/login", headers: from)
            for _ in 0..<6 {
                statuses.append(try await attacker.post(
                    "/admin/login", [("email", "editor@example.org"), ("password", "wrong password!")], headers: from).status)
            }
            #expect(statuses.last == .tooManyRequests)
            // The editor, from their own address, signs in at once.
            let editor = Browser(client)
            let home: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "198.51.100.7"]
            _ = try await editor.get("/admin/login", headers: home)
            let signedIn = try await editor.post(
                "/admin/login", [("email", "editor@example.org"), ("password", NewsroomFixture.password)], headers: home)
            #expect(signedIn.status == .seeOther || signedIn.status == .found, "\(signedIn.status)")
        }
    }

    @Test("One client cannot try address after address")
    func throttlingAcrossAddresses() async throws {
        try await withNewsroom { client, _ in
            let sprayer = Browser(client)
            let from: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.50"]
            _ = try await sprayer.get("/admin/login", headers: from)
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<21 {
                statuses.append(try await sprayer.post(
                    "/admin/login", [("email", "person\(index)@example.org"), ("password", "guess guess")], headers: from).status)
            }
            #expect(statuses.prefix(19).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
        }
    }

    @Test("An unknown address is checked against a hash as costly as a real one")
    func decoyCost() async throws {
        let decoy = try await PasswordHasher(cost: 10).decoy()
        #expect(decoy.hasPrefix("$2b$10$") || decoy.hasPrefix("$2a$10$") || decoy.hasPrefix("$2y$10$"), "\(decoy)")
    }

    /// A folder of its own for a database file, its WAL files and its marker.
    private static func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-hardening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func firstSlug(_ client: any TestClientProtocol) async throws -> String? {
        let home = try await client.get("/").body
        return home.firstMatch(of: /href="\/articles\/([^"?]+)"/).map { String($0.1) }
    }
}
