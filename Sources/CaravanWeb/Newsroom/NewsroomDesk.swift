import CaravanCore
import CaravanMedia
import CaravanStorage
import Foundation
import Hummingbird
import HummingbirdAuth

/// A signed-in person and their session.
struct SignedIn: Sendable {
    let account: Account
    let session: NewsroomSession
}

/// What every newsroom page shares: the stores, sessions, the guard on forms, and rendering.
struct NewsroomDesk: Sendable {
    let dependencies: NewsroomDependencies
    /// Nil when the site runs without a media library.
    let media: MediaLibrary?
    let renderer: PageRenderer
    let site: SiteConfiguration
    let stylesheetURL: String
    let scriptURL: String
    let clock: @Sendable () -> Date
    let hasher: PasswordHasher
    private let plainSessions: SessionStorage<NewsroomSession>
    private let secureSessions: SessionStorage<NewsroomSession>

    static let sessionCookie = "caravan_session"
    /// The sign-in and invitation forms' token, before there is a session to keep it in.
    static let formCookie = "caravan_form"

    init(
        dependencies: NewsroomDependencies, media: MediaLibrary? = nil, renderer: PageRenderer, site: SiteConfiguration,
        stylesheetURL: String, scriptURL: String, clock: @escaping @Sendable () -> Date
    ) {
        self.dependencies = dependencies
        self.media = media
        self.renderer = renderer
        self.site = site
        self.stylesheetURL = stylesheetURL
        self.scriptURL = scriptURL
        self.clock = clock
        hasher = PasswordHasher(cost: dependencies.configuration.passwordCost)
        let driver = DatabaseSessionDriver(store: dependencies.sessions, clock: clock)
        func storage(secure: Bool) -> SessionStorage<NewsroomSession> {
            SessionStorage(
                driver,
                configuration: SessionStorageConfiguration(
                    sessionCookieParameters: SessionCookieParameters(
                        name: Self.sessionCookie, path: Addresses.newsroom.path(), secure: secure, sameSite: .lax),
                    keyPrefix: ""))
        }
        plainSessions = storage(secure: false)
        secureSessions = storage(secure: true)
    }

    var stories: any NewsroomStore { dependencies.stories }

    /// How large a multipart form may be: a few photographs at the library's limit each, and the words beside them.
    var uploadLimit: Int { (media?.rules.maximumBytes ?? 0) * 4 + (1 << 20) }
    var accounts: any AccountStore { dependencies.accounts }

    /// Cookies are `Secure` when the site is served over https, directly or behind a proxy that says so.
    func isSecure(_ request: Request) -> Bool {
        site.siteURL.lowercased().hasPrefix("https:")
            || request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    func signedIn(_ request: Request) async throws -> SignedIn? {
        guard request.cookies[Self.sessionCookie] != nil else { return nil }
        let session: NewsroomSession?
        do {
            session = try await plainSessions.load(request: request)
        } catch {
            // A cookie from an older format or a forged one: treat the browser as signed out.
            return nil
        }
        guard let session, let account = try await accounts.account(id: Account.ID(rawValue: session.account)) else {
            return nil
        }
        return SignedIn(account: account, session: session)
    }

    /// Starts a session and returns the cookie that carries it.
    func startSession(for account: Account, request: Request) async throws -> Cookie {
        let session = NewsroomSession(account: account.id.rawValue, csrf: Token.make(), signedIn: clock())
        try await dependencies.sessions.removeExpiredSessions(now: clock())
        let storage = isSecure(request) ? secureSessions : plainSessions
        return try await storage.save(session: session, expiresIn: dependencies.configuration.sessionLifetime)
    }

    /// A cookie for a fresh session carrying the same sign-in, when the request's session has used up half its life:
    /// a person at work is not signed out mid-story. The old session is left to expire, so requests already on their
    /// way with it still succeed; the form token stays the same, so open forms still post.
    func renewedSession(_ request: Request) async throws -> Cookie? {
        guard request.cookies[Self.sessionCookie] != nil,
            let (session, ttl) = try? await plainSessions.loadWithTTL(request: request), let ttl,
            ttl < dependencies.configuration.sessionLifetime / 2
        else { return nil }
        let storage = isSecure(request) ? secureSessions : plainSessions
        return try await storage.save(session: session, expiresIn: dependencies.configuration.sessionLifetime)
    }

    func endSession(_ request: Request) async throws -> Cookie? {
        try? await plainSessions.delete(request: request)
    }

    /// The token for a form shown to someone not signed in: the one their browser already holds, or a new one.
    func formToken(_ request: Request) -> (token: String, cookie: Cookie?) {
        if let known = request.cookies[Self.formCookie]?.value, known.count >= 32 { return (String(known), nil) }
        let token = Token.make()
        let cookie = Cookie(
            name: Self.formCookie, value: token, path: Addresses.newsroom.path(), secure: isSecure(request), httpOnly: true,
            sameSite: .strict)
        return (token, cookie)
    }

    func formTokenMatches(_ request: Request, _ fields: FormFields) -> Bool {
        guard let cookie = request.cookies[Self.formCookie]?.value else { return false }
        return Token.matches(fields["csrf"], String(cookie))
    }

    func chrome(_ request: Request, account: Account?, csrf: String) -> NewsroomChrome {
        NewsroomChrome(
            siteName: site.siteName, stylesheet: stylesheetURL, script: scriptURL, account: account, csrf: csrf,
            currentPath: request.uri.path)
    }

    func chrome(_ request: Request, _ signedIn: SignedIn) -> NewsroomChrome {
        chrome(request, account: signedIn.account, csrf: signedIn.session.csrf)
    }

    func page(_ view: some Sendable, template: String, status: HTTPResponse.Status = .ok, cookies: [Cookie] = []) throws
        -> Response
    {
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: try renderer.render(view, template: template))))
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    /// After a successful POST: the browser asks for the next page with GET, so a reload never posts twice.
    func redirect(to path: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: path])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    func message(
        _ request: Request, signedIn: SignedIn?, status: HTTPResponse.Status, title: String, message: String,
        links: [LinkView] = [], rescuedText: String? = nil
    ) throws -> Response {
        let chrome = signedIn.map { self.chrome(request, $0) } ?? chrome(request, account: nil, csrf: "")
        let view = MessagePage(chrome: chrome, title: title, message: message, links: links, rescuedText: rescuedText)
        return try page(view, template: "admin-message", status: status)
    }

    /// Sends a stranger to the sign-in page; a form posted after the session ended comes back with its text.
    func signInFirst(_ request: Request, fields: FormFields? = nil) throws -> Response {
        guard let fields else {
            let next = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
            return redirect(to: NewsroomRoute.signIn.path + "?" + FormEncoding.query([("next", next)]))
        }
        let (token, cookie) = formToken(request)
        let view = SignInPage(
            chrome: chrome(request, account: nil, csrf: token), title: "Sign in | \(site.siteName) newsroom", email: "",
            next: request.uri.path,
            problem: "You were signed out, so this was not saved. Sign in and paste your text back.",
            notice: nil, rescuedText: Self.rescuedText(fields), noAccountsYet: false)
        return try page(view, template: "admin-login", status: .unauthorized, cookies: cookie.map { [$0] } ?? [])
    }

    /// Refuses a POST whose token is missing or wrong. The text of the form is shown so that nothing typed is lost.
    func forgedForm(_ request: Request, signedIn: SignedIn?, fields: FormFields) throws -> Response {
        try message(
            request, signedIn: signedIn, status: .forbidden, title: "This form cannot be accepted",
            message:
                "The form did not carry this newsroom's security token (it may be from another site, or from a page open since before you signed in). Nothing was changed.",
            links: [LinkView(name: "Back to the stories", url: NewsroomRoute.stories.path)],
            rescuedText: Self.rescuedText(fields))
    }

    static func rescuedText(_ fields: FormFields) -> String? {
        let parts = [fields["title"], fields["standfirst"], fields["body"]].compactMap { $0 }.filter {
            !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        return parts.isEmpty ? nil : parts.joined(separator: "\n\n")
    }
}

/// Headers every newsroom answer carries: never cached, never framed, and no script but our own. It also renews a
/// session that is past half its life.
struct NewsroomHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let desk: NewsroomDesk

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        // Not when the answer sets its own cookie (signing in or out decides the session itself).
        if response.headers[values: .setCookie].isEmpty, let cookie = try await desk.renewedSession(request) {
            response.setCookie(cookie)
        }
        response.headers[.cacheControl] = "no-store"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' https: http: data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        return response
    }
}
