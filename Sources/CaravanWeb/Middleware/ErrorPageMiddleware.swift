import Foundation
import CaravanStorage
import Hummingbird
import Logging

/// Turns errors into pages a reader can use (HTML) or JSON a client can parse (under /api), logging the unexpected ones once.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = SiteRequestContext
    let pages: PageResponder
    let logger: Logger
    let monitor: HealthMonitor

    /// Longer addresses are refused before any work: 64 kB holds any real search (a query of 2,500 emoji, escaped, is 30 kB), and longer ones are a cheap flood.
    static let longestAddress = 65_536

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            guard (request.head.path?.utf8.count ?? 0) <= Self.longestAddress else {
                throw HTTPError(.uriTooLong, message: "This address is longer than \(Self.longestAddress) characters.")
            }
            return try await next(request, context)
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound
                ? "There is nothing at this address. It may have moved, or the link may be mistyped."
                : error.status.reasonPhrase)
            var response = await respond(request, status: error.status, code: Self.code(error.status), message: message)
            // Such as 405's `Allow`.
            for field in error.headers where response.headers[field.name] == nil { response.headers.append(field) }
            return response
        } catch {
            if let trouble = DatabaseTrouble.describe(error) {
                // The database itself is gone or damaged: say so to load balancers (503) and once in the log.
                monitor.record(trouble)
                logger.critical("\(request.method) \(request.uri.path) failed: \(trouble)")
                return await respond(
                    request, status: .serviceUnavailable, code: "unavailable",
                    message: "The site cannot reach its archive just now. Please try again in a few minutes.")
            }
            logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            return await respond(
                request, status: .internalServerError, code: "internal",
                message: "Something went wrong on our side. Please try again in a moment.")
        }
    }

    private func respond(_ request: Request, status: HTTPResponse.Status, code: String, message: String) async -> Response {
        if request.uri.path.hasPrefix(Addresses.apiPrefix) {
            return APIError(status: status, code: code, message: message).response()
        }
        return await pages.errorPage(for: request, status: status, message: message)
    }

    static func code(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .badRequest: "bad_request"
        case .methodNotAllowed: "method_not_allowed"
        case .uriTooLong: "uri_too_long"
        case .serviceUnavailable: "unavailable"
        default: status.code < 500 ? "bad_request" : "internal"
        }
    }
}

/// The API's error object: `{"error": {"code": "...", "message": "..."}}`.
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
        // Sorted, so every error reads the same way round: the encoder's own order changes from run to run.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(Body(error: .init(code: code, message: message)))) ?? Data()
        return Response(
            // Cross-origin clients must be able to read the error too, not just the successes.
            status: status, headers: [.contentType: "application/json; charset=utf-8", .accessControlAllowOrigin: "*"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
