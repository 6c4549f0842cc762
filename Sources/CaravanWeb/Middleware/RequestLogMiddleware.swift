import Foundation
import Hummingbird
import Logging

/// One log line per request: method, path, status and duration.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = SiteRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        logger.info("\(request.method) \(request.uri.path) \(response.status.code) \(Self.milliseconds(elapsed))ms")
        return response
    }

    /// A duration in milliseconds to one decimal, rounded half up ("12.3"); `String(format:)` cost more than the log line.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        // In hundredths of a millisecond (10^13 attoseconds), which cannot overflow for any request's duration.
        let tenths = max(0, seconds * 100_000 + attoseconds / 10_000_000_000_000 + 5) / 10
        return "\(tenths / 10).\(tenths % 10)"
    }
}
