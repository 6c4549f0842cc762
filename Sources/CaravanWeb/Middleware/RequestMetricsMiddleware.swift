import Dispatch
import Hummingbird
import Metrics
import Synchronization

/// Counts and times requests by route, method and status, under the names Hummingbird's `MetricsMiddleware` uses
/// (`hb_requests`, `http_server_request_duration`, `hb_request_errors`), so `/metrics` reads the same.
///
/// Hummingbird's own wraps every response body in a closure to time its writing and keeps a gauge of requests in
/// flight; on a cached page that cost 10–20 % of the requests served per second. Bodies here are in memory, so the
/// time to produce the response is the time that matters.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = SiteRequestContext
    let instruments = RequestInstruments()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            let response = try await next(request, context)
            let endpoint = instruments.endpoint(
                route: context.endpointPath ?? "Unknown", method: request.method, status: response.status)
            endpoint.requests.increment()
            endpoint.duration.recordNanoseconds(DispatchTime.now().uptimeNanoseconds - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            let endpoint = instruments.endpoint(
                route: context.endpointPath ?? "NotFound", method: request.method, status: status)
            endpoint.requests.increment()
            endpoint.errors.increment()
            throw error
        }
    }
}

/// The metrics of each route, method and status, made once and kept: swift-metrics' factories look them up by label.
final class RequestInstruments: Sendable {
    struct Key: Hashable {
        let route: String
        let method: String
        let status: HTTPResponse.Status
    }

    /// The methods HTTP defines keep their names; any other token a client invents counts as `_OTHER` (as OpenTelemetry
    /// names it), so made-up methods cannot grow the table without end.
    static let knownMethods: Set<HTTPRequest.Method> = [
        .get, .head, .post, .put, .delete, .patch, .options, .connect, .trace,
    ]

    struct Endpoint: Sendable {
        let requests: Counter
        let duration: Metrics.Timer
        let errors: Counter

        init(_ key: Key) {
            let labels = [
                ("http.route", key.route), ("http.request.method", key.method),
                ("http.response.status_code", String(key.status.code)),
            ]
            requests = Counter(label: "hb.requests", dimensions: labels)
            duration = Metrics.Timer(
                label: "http.server.request.duration", dimensions: labels, preferredDisplayUnit: .seconds)
            errors = Counter(
                label: "hb.request.errors",
                dimensions: [
                    ("http.route", key.route), ("http.request.method", key.method),
                    ("error.type", String(key.status.code)),
                ])
        }
    }

    private let endpoints = Mutex<[Key: Endpoint]>([:])

    func endpoint(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status) -> Endpoint {
        let key = Key(
            route: route, method: Self.knownMethods.contains(method) ? method.rawValue : "_OTHER", status: status)
        return endpoints.withLock { endpoints in
            if let known = endpoints[key] { return known }
            let made = Endpoint(key)
            endpoints[key] = made
            return made
        }
    }
}
