import HTTPTypes
import Hummingbird

/// The browser protections every answer carries: pages, files, feeds, the API and errors. A header an inner layer set
/// (the newsroom's stricter policy) is left as it is.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = SiteRequestContext
    /// True when the site is served over https, which turns on HSTS.
    let secureSite: Bool

    // Our own files only; images may also come by https, as stories name featured images by address.
    static var contentSecurityPolicy: String {
        "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    }

    static let fields: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy, contentSecurityPolicy),
        (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
        (HTTPField.Name("Referrer-Policy")!, "strict-origin-when-cross-origin"),
        (HTTPField.Name("X-Frame-Options")!, "SAMEORIGIN"),
    ]
    static let strictTransportSecurity = HTTPField.Name("Strict-Transport-Security")!
    // Made once: every answer asks for it.
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for (name, value) in Self.fields where response.headers[name] == nil {
            response.headers[name] = value
        }
        if secureSite || request.headers[Self.forwardedProto] == "https" {
            response.headers[Self.strictTransportSecurity] = "max-age=31536000"
        }
        return response
    }
}
