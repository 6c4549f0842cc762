import CaravanCore
import CaravanMedia
import CaravanRates
import CaravanSQLite
import CaravanStorage
import CaravanWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The stores behind a newsroom under test, and the people in it.
struct NewsroomFixture: Sendable {
    let database: SQLiteDatabase
    let store: SQLiteArticleStore
    let stories: SQLiteNewsroomStore
    let accounts: SQLiteAccountStore
    let media: SQLiteMediaStore
    var mediaRules = MediaRules()

    static let password = "correct horse battery"

    init(database: SQLiteDatabase) {
        self.database = database
        store = SQLiteArticleStore(database: database)
        stories = SQLiteNewsroomStore(database: database)
        accounts = SQLiteAccountStore(database: database)
        media = SQLiteMediaStore(database: database)
    }

    /// An account whose password is `password`, hashed with bcrypt's lowest cost so the tests stay quick.
    @discardableResult
    func person(_ email: String, _ role: Account.Role, name: String? = nil) async throws -> Account {
        let hash = try await PasswordHasher(cost: 4).hash(Self.password)
        return try await accounts.addAccount(
            email: email, name: name ?? email.split(separator: "@")[0].capitalized, role: role, passwordHash: hash,
            now: Date())
    }

    func dependencies(
        siteURL: String = "http://127.0.0.1:8080", clock: @escaping @Sendable () -> Date = { Date() }
    ) -> SiteDependencies {
        let zone = TimeZone(identifier: "Asia/Almaty")!
        return SiteDependencies(
            store: store, search: SQLiteSearchIndex(database: database, timeZone: zone),
            rates: RateDesk(store: SQLiteRateStore(database: database), timeZone: zone),
            configuration: SiteConfiguration(siteURL: siteURL), clock: clock,
            newsroom: NewsroomDependencies(
                stories: stories, accounts: accounts, sessions: accounts,
                configuration: NewsroomConfiguration(passwordCost: 4)),
            media: MediaLibrary(store: media, rules: mediaRules))
    }
}

/// Runs `body` against the real application with its newsroom, on an in-memory database.
func withNewsroom(
    siteURL: String = "http://127.0.0.1:8080", clock: @escaping @Sendable () -> Date = { Date() },
    mediaRules: MediaRules = MediaRules(),
    _ body: @Sendable (any TestClientProtocol, NewsroomFixture) async throws -> Void
) async throws {
    var made = NewsroomFixture(database: try SQLiteDatabase.inMemory())
    made.mediaRules = mediaRules
    let fixture = made
    let app = try await buildApplication(fixture.dependencies(siteURL: siteURL, clock: clock))
    try await app.test(.router) { client in try await body(client, fixture) }
}

/// A browser's worth of state over the test client: it keeps cookies and reads each form's token.
final class Browser: Sendable {
    let client: any TestClientProtocol
    private let jar = Mutex<[String: String]>([:])
    private let token = Mutex<String?>(nil)

    struct Page: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        let bytes: [UInt8]
        var location: String? { headers[.location] }
        var setCookies: [String] { headers[values: .setCookie] }
    }

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    var csrf: String? { token.withLock { $0 } }
    var cookies: [String: String] { jar.withLock { $0 } }

    func get(_ path: String, headers extra: HTTPFields = [:]) async throws -> Page {
        try await send(path, method: .get, body: nil, headers: extra)
    }

    /// Posts a form; the page's CSRF token is added unless `csrf` says otherwise.
    func post(_ path: String, _ fields: [(String, String)], csrf: String?? = .none, headers extra: HTTPFields = [:])
        async throws -> Page
    {
        var all = fields
        if let chosen = token(csrf) { all.append(("csrf", chosen)) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await send(path, method: .post, body: ByteBuffer(string: body), headers: headers)
    }

    /// Posts a `multipart/form-data` form with files, as a browser's file input does.
    func postMultipart(
        _ path: String, _ fields: [(String, String)], files: [(field: String, filename: String, bytes: [UInt8])],
        csrf: String?? = .none
    ) async throws -> Page {
        var all = fields
        if let chosen = token(csrf) { all.append(("csrf", chosen)) }
        let (body, contentType) = Multipart.body(fields: all, files: files)
        return try await send(path, method: .post, body: ByteBuffer(bytes: body), headers: [.contentType: contentType])
    }

    /// The page's token unless the caller names one (or none, with `.some(nil)`).
    private func token(_ csrf: String??) -> String? {
        switch csrf {
        case .none: self.csrf
        case .some(let value): value
        }
    }

    func signIn(_ email: String, password: String = NewsroomFixture.password) async throws -> Page {
        _ = try await get("/admin/login")
        return try await post("/admin/login", [("email", email), ("password", password)])
    }

    private func send(_ path: String, method: HTTPRequest.Method, body: ByteBuffer?, headers extra: HTTPFields) async throws
        -> Page
    {
        var headers = extra
        let cookieHeader = jar.withLock { $0.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !cookieHeader.isEmpty { headers[.cookie] = cookieHeader }
        let page = try await client.execute(
            uri: path, method: method, headers: headers, body: body
        ) { response in
            Page(
                status: response.status, headers: response.headers, body: String(buffer: response.body),
                bytes: Array(response.body.readableBytesView))
        }
        for line in page.setCookies {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
            let value = pair.count > 1 ? String(pair[1]) : ""
            let expired =
                line.lowercased().contains("max-age=0") || value.isEmpty
                || line.contains("Expires=Thu, 01 Jan 1970")
            jar.withLock { $0[name] = expired ? nil : value }
        }
        if let found = Self.formToken(in: page.body) { token.withLock { $0 = found } }
        return page
    }

    /// The value of the first `csrf` field on a page.
    static func formToken(in html: String) -> String? {
        guard let field = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(html[field.upperBound...].prefix(while: { $0 != "\"" }))
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

/// The id of the story a newsroom redirect points at: `/admin/articles/ID?notice=…`.
func storyID(from location: String?) -> String? {
    guard let location, location.hasPrefix("/admin/articles/") else { return nil }
    return String(location.dropFirst("/admin/articles/".count).prefix(while: { $0 != "?" && $0 != "/" }))
}

/// The fields of a story form a browser would send.
func storyFields(
    title: String, body: String, standfirst: String = "", intent: String = "save", countries: [String] = ["KZ"],
    tags: String = "", section: String = "Politics", slug: String = "", revision: Int? = nil, publishAt: String? = nil
) -> [(String, String)] {
    var fields = [
        ("title", title), ("standfirst", standfirst), ("body", body), ("slug", slug), ("author", "Aigerim Sadykova"),
        ("section", section), ("tags", tags), ("language", "en"), ("image_url", ""), ("image_caption", ""),
        ("image_credit", ""), ("intent", intent),
    ]
    fields += countries.map { ("countries", $0) }
    if let revision { fields.append(("revision", String(revision))) }
    if let publishAt { fields.append(("publish_at", publishAt)) }
    return fields
}

/// Real tags on a page that could run script: anything but our JSON-LD and our own /static/ script, event handlers, `javascript:` links, SVG.
/// Escaped text (`&lt;script&gt;`) is not a tag, so only what a browser would parse as markup counts.
func dangerousMarkup(in html: String) -> [String] {
    var found: [String] = []
    var rest = html[...]
    while let open = rest.firstIndex(of: "<") {
        let tail = rest[rest.index(after: open)...]
        guard let close = tail.firstIndex(of: ">") else { break }
        let tag = tail[..<close].lowercased()
        let name = tag.prefix(while: { !$0.isWhitespace && $0 != "/" })
        let attributes = String(tag.dropFirst(name.count))
        // Attribute names only: a quoted value may hold any (escaped) text, which is inert.
        let names = attributes.replacingOccurrences(of: #""[^"]*"|'[^']*'"#, with: "\"\"", options: .regularExpression)
        // Our own files (the newsroom's script) are the only scripts a page may load.
        let ours = tag.contains("type=\"application/ld+json\"") || tag.contains("src=\"/static/")
        if name == "script" && !ours { found.append(tag) }
        if ["svg", "iframe", "object", "embed", "math"].contains(String(name)) { found.append(tag) }
        if names.range(of: #"(^|[\s"'/])on[a-z]+\s*="#, options: .regularExpression) != nil { found.append(tag) }
        if attributes.range(
            of: #"(href|src|action|formaction)\s*=\s*["']?\s*(javascript|vbscript|data):"#, options: .regularExpression)
            != nil
        {
            found.append(tag)
        }
        rest = tail[tail.index(after: close)...]
    }
    return found
}

/// A `multipart/form-data` body, as browsers write one.
enum Multipart {
    static let boundary = "----CaravanTestBoundary7MA4YWxkTrZu0gW"

    static func body(fields: [(String, String)], files: [(field: String, filename: String, bytes: [UInt8])]) -> ([UInt8], String) {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }
}
