import Foundation
import Hummingbird
import Logging

/// Turns errors into pages a reader can use (HTML) or JSON a client can parse (under /api), logging the unexpected ones once.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let pages: PageResponder
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound
                ? "There is nothing at this address. It may have moved, or the link may be mistyped."
                : error.status.reasonPhrase)
            return await respond(request, status: error.status, code: Self.code(error.status), message: message)
        } catch {
            logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            return await respond(
                request, status: .internalServerError, code: "internal",
                message: "Something went wrong on our side. Please try again in a moment.")
        }
    }

    private func respond(_ request: Request, status: HTTPResponse.Status, code: String, message: String) async -> Response {
        if request.uri.path.hasPrefix("/api/") {
            return APIError(status: status, code: code, message: message).response()
        }
        return await pages.errorPage(for: request, status: status, message: message)
    }

    static func code(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .badRequest: "bad_request"
        case .methodNotAllowed: "method_not_allowed"
        default: status.code < 500 ? "bad_request" : "internal"
        }
    }
}

/// CONTRACT's error object: `{"error": {"code": "...", "message": "..."}}`.
struct APIError: Error, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let message: String

    func response() -> Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                let code: String
                let message: String
            }
            let error: Detail
        }
        let data = (try? JSONEncoder().encode(Body(error: .init(code: code, message: message)))) ?? Data()
        return Response(
            // Cross-origin clients must be able to read the error too, not just the successes.
            status: status, headers: [.contentType: "application/json; charset=utf-8", .accessControlAllowOrigin: "*"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
