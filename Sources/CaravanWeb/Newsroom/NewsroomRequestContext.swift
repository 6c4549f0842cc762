import CaravanCore
import Foundation
import Hummingbird

/// A newsroom request behind the guard: the site's context, plus who is signed in and, for a POST, its form.
struct NewsroomRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    private(set) var signedIn: SignedIn?
    private(set) var fields: FormFields?

    init(context: SiteRequestContext) {
        coreContext = context.coreContext
    }

    /// The person signed in. `NewsroomGuard` sets it before any handler of its group runs.
    var editor: SignedIn {
        get throws {
            guard let signedIn else { throw HTTPError(.internalServerError, message: "A newsroom page was reached without its guard.") }
            return signedIn
        }
    }

    /// The posted form, already checked against the session's token.
    var form: FormFields {
        get throws {
            guard let fields else { throw HTTPError(.internalServerError, message: "A newsroom form was reached without its guard.") }
            return fields
        }
    }

    mutating func admit(_ signedIn: SignedIn, fields: FormFields?) {
        self.signedIn = signedIn
        self.fields = fields
    }
}

/// Lets a request reach a newsroom handler only from someone signed in, with the role the group needs, and, for a
/// POST, only with the session's form token. Everyone else gets the page that says why, with their text kept.
struct NewsroomGuard: RouterMiddleware {
    typealias Context = NewsroomRequestContext
    let desk: NewsroomDesk
    /// Nil lets every role in.
    var role: RoleRequirement?

    /// What a group asks of the signed-in person's role, and the refusal everyone else sees.
    struct RoleRequirement: Sendable {
        let allows: @Sendable (Account.Role) -> Bool
        let title: String
        let message: String

        static let managesPeople = RoleRequirement(
            allows: { $0.managesPeople }, title: "Admins only", message: "Only an admin can manage the newsroom's people.")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let multipart = request.method == .post && request.headers[.contentType].flatMap(FormFields.multipartBoundary) != nil
        var known: SignedIn?
        if multipart {
            // A body the size of photographs is read only from someone signed in, and only where photographs go.
            guard let signedIn = try await desk.signedIn(request) else {
                return try desk.signInFirst(request, fields: FormFields(values: [:]))
            }
            known = signedIn
        }
        let takesPhotographs = [Addresses.mediaLibrary, Addresses.mediaReplace].contains { $0.match(request.uri.path) != nil }
        // Read before the sign-in check, so that a form posted after the session ended comes back with its text.
        let fields =
            request.method == .post
            ? try await FormFields.read(request, uploadLimit: multipart && takesPhotographs ? desk.uploadLimit : FormFields.maximumBytes)
            : nil
        if known == nil { known = try await desk.signedIn(request) }
        guard let signedIn = known else { return try desk.signInFirst(request, fields: fields) }
        if let role, !role.allows(signedIn.account.role) {
            return try desk.message(request, signedIn: signedIn, status: .forbidden, title: role.title, message: role.message)
        }
        if let fields, !Token.matches(fields["csrf"], signedIn.session.csrf) {
            return try desk.forgedForm(request, signedIn: signedIn, fields: fields)
        }
        var context = context
        context.admit(signedIn, fields: fields)
        return try await next(request, context)
    }
}
