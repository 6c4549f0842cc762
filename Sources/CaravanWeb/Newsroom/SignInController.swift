import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird

/// Signing in and out, and accepting an invitation.
struct SignInController: Sendable {
    let desk: NewsroomDesk

    func addRoutes(to admin: RouterGroup<SiteRequestContext>) {
        admin.get(Addresses.newsroom) { _, _ in desk.redirect(to: NewsroomRoute.stories.path) }
        admin.get(Addresses.signIn, use: signInForm)
        admin.post(Addresses.signIn, use: signIn)
        admin.post(Addresses.signOut, use: signOut)
        admin.get(Addresses.invitation, use: invitationForm)
        admin.post(Addresses.invitation, use: acceptInvitation)
    }

    @Sendable func signInForm(_ request: Request, context: SiteRequestContext) async throws -> Response {
        if try await desk.signedIn(request) != nil { return desk.redirect(to: NewsroomRoute.stories.path) }
        let notice = request.form["notice"].flatMap { Notice(rawValue: $0)?.text }
        return try await form(request, email: "", problem: nil, notice: notice, status: .ok)
    }

    private func form(
        _ request: Request, email: String, problem: String?, notice: String? = nil, next: String? = nil,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let (token, cookie) = desk.formToken(request)
        let noAccounts = try await desk.accounts.accounts().isEmpty
        let view = SignInPage(
            chrome: desk.chrome(request, account: nil, csrf: token), title: "Sign in | \(desk.site.siteName) newsroom",
            email: email, next: next ?? request.form["next"] ?? "", problem: problem,
            notice: notice, rescuedText: nil, noAccountsYet: noAccounts)
        return try desk.page(view, template: "admin-login", status: status, cookies: cookie.map { [$0] } ?? [])
    }

    @Sendable func signIn(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let fields = try await FormFields.read(request)
        let typed = (fields["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let next = fields["next"]
        guard desk.formTokenMatches(request, fields) else {
            return try await form(
                request, email: typed, problem: "This sign-in form had expired. Please sign in again.", next: next,
                status: .forbidden)
        }
        let email = AccountRules.normalizedEmail(typed) ?? typed.lowercased()
        let now = desk.clock()
        let configuration = desk.dependencies.configuration
        // Failures count per address from each client, and per client over every address.
        let client = context.clientAddress(request)
        let tallies = [
            (key: "\(email) from \(client)", throttle: configuration.throttle),
            (key: "client \(client)", throttle: configuration.clientThrottle),
        ]
        var recent: [[Date]] = []
        for tally in tallies {
            recent.append(try await desk.accounts.signInFailures(
                email: tally.key, since: now.addingTimeInterval(-(tally.throttle.window + tally.throttle.lockout))))
        }
        func lockedUntil(adding attempt: Date?) -> Date? {
            zip(tallies, recent).compactMap { tally, failures in
                tally.throttle.lockedUntil(failures: failures + (attempt.map { [$0] } ?? []), now: now)
            }.max()
        }
        if let until = lockedUntil(adding: nil) {
            return try await tooMany(request, email: typed, until: until, now: now, next: next)
        }
        let credentials = try await desk.accounts.credentials(email: email)
        let password = fields["password"] ?? ""
        let hash: String
        if let known = credentials?.passwordHash { hash = known } else { hash = try await desk.hasher.decoy() }
        let matches = try await desk.hasher.verify(password, hash: hash)
        guard let credentials, matches else {
            for tally in tallies { try await desk.accounts.recordSignInFailure(email: tally.key, at: now) }
            if let until = lockedUntil(adding: now) {
                return try await tooMany(request, email: typed, until: until, now: now, next: next)
            }
            return try await form(
                request, email: typed, problem: "That email address and password do not match an account.", next: next,
                status: .unauthorized)
        }
        try await desk.accounts.clearSignInFailures(email: tallies[0].key)
        let cookie = try await desk.startSession(for: credentials.account, request: request)
        return desk.redirect(to: Self.safeNext(next), cookies: [cookie])
    }

    private func tooMany(_ request: Request, email: String, until: Date, now: Date, next: String?) async throws
        -> Response
    {
        var response = try await form(
            request, email: email,
            problem:
                "Too many failed sign-ins for this address. Wait \(SignInThrottle.waitText(from: now, until: until)) and try again.",
            next: next, status: .tooManyRequests)
        response.headers[.retryAfter] = String(max(1, Int(until.timeIntervalSince(now).rounded(.up))))
        return response
    }

    /// Only a newsroom page of this site: a `next` pointing elsewhere would make the form an open redirect.
    static func safeNext(_ next: String?) -> String {
        // Already decoded once, as every form value is; decoding again would turn `%26` into a second parameter.
        guard let decoded = next, !decoded.contains("\\"), let route = NewsroomRoute(link: decoded), route != .signIn
        else { return NewsroomRoute.stories.path }
        return decoded
    }

    @Sendable func signOut(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let fields = try await FormFields.read(request)
        guard let signedIn = try await desk.signedIn(request) else {
            return desk.redirect(to: NewsroomRoute.signIn.path)
        }
        guard Token.matches(fields["csrf"], signedIn.session.csrf) else {
            return try desk.forgedForm(request, signedIn: signedIn, fields: fields)
        }
        let cookie = try await desk.endSession(request)
        return desk.redirect(
            to: NewsroomRoute.signIn.path + "?notice=\(Notice.signedOut.rawValue)", cookies: cookie.map { [$0] } ?? [])
    }

    @Sendable func invitationForm(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        return try await invitationPage(request, token: token, name: nil, problem: nil, status: .ok)
    }

    private func invitationPage(
        _ request: Request, token: String, name: String?, problem: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        guard let invitation = try await desk.accounts.invitation(token: token, now: desk.clock()) else {
            return try desk.message(
                request, signedIn: nil, status: .notFound, title: "This invitation cannot be used",
                message: AccountError.invitationNotFound.description + " Ask an admin for a new one.")
        }
        let (formToken, cookie) = desk.formToken(request)
        let view = InvitationPage(
            chrome: desk.chrome(request, account: nil, csrf: formToken),
            title: "Join the newsroom | \(desk.site.siteName)",
            email: invitation.email, name: name ?? invitation.name, roleLabel: invitation.role.label,
            formAction: NewsroomRoute.invitation(token: token).path, problem: problem)
        return try desk.page(view, template: "admin-invitation", status: status, cookies: cookie.map { [$0] } ?? [])
    }

    @Sendable func acceptInvitation(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let fields = try await FormFields.read(request)
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard desk.formTokenMatches(request, fields) else {
            return try await invitationPage(
                request, token: token, name: name, problem: "This form had expired; please try again.",
                status: .forbidden)
        }
        let password = fields["password"] ?? ""
        if let problem = AccountRules.passwordProblem(password) {
            return try await invitationPage(
                request, token: token, name: name, problem: problem, status: .unprocessableContent)
        }
        guard password == fields["password_again"] else {
            return try await invitationPage(
                request, token: token, name: name, problem: "The two passwords are not the same.",
                status: .unprocessableContent)
        }
        let hash = try await desk.hasher.hash(password)
        let account: Account
        do {
            account = try await desk.accounts.acceptInvitation(token: token, passwordHash: hash, now: desk.clock())
        } catch let error as AccountError {
            return try desk.message(
                request, signedIn: nil, status: .conflict, title: "This invitation cannot be used",
                message: error.description)
        }
        let cookie = try await desk.startSession(for: account, request: request)
        return desk.redirect(to: NewsroomRoute.stories.path + "?notice=\(Notice.welcome.rawValue)", cookies: [cookie])
    }
}

/// Fixed messages a redirect can ask the next page to show; no text from the request is ever echoed.
enum Notice: String, Sendable {
    case signedOut = "signed-out"
    case welcome
    case created
    case saved
    case published
    case scheduled
    case unpublished
    case restored
    case invited
    case roleChanged = "role-changed"
    case uploaded
    case alreadyThere = "already-there"
    case described
    case replaced
    case deleted

    var text: String {
        switch self {
        case .signedOut: "You have signed out."
        case .welcome: "Welcome to the newsroom."
        case .created: "The draft is saved."
        case .saved: "Your changes are saved."
        case .published: "The story is published."
        case .scheduled: "The story is scheduled."
        case .unpublished: "The story is taken down: it is no longer on the site."
        case .restored: "The revision is restored."
        case .invited: "The invitation is ready: send its link to the person you invited."
        case .roleChanged: "The role is changed."
        case .uploaded: "The photograph is in the library."
        case .alreadyThere: "This photograph was already in the library: here it is."
        case .described: "The photograph's words are saved."
        case .replaced: "The picture is replaced; its words are kept."
        case .deleted: "The photograph is deleted."
        }
    }
}
