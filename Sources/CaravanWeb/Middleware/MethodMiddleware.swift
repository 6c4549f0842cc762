import Hummingbird
import Synchronization

/// HEAD is GET without the body: every GET address answers it with the same status and headers, errors included.
struct HeadMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .head else { return try await next(request, context) }
        var head = request.head
        head.method = .get
        let response = try await next(Request(head: head, body: request.body), context)
        var headers = response.headers
        if headers[.contentLength] == nil, let length = response.body.contentLength {
            headers[.contentLength] = String(length)
        }
        return Response(status: response.status, headers: headers, body: ResponseBody())
    }
}

/// The methods each address answers, filled in as routes are added, for `405 Method Not Allowed` with `Allow`.
final class AllowedMethods: Sendable {
    /// The addresses as a router of their own, whose GET answers with the address's methods.
    private let table = Mutex<RouterResponder<SiteRequestContext>?>(nil)

    func freeze(_ routes: [(path: RouterPath, methods: [HTTPRequest.Method])]) {
        let router = Router(context: SiteRequestContext.self)
        for route in routes {
            var methods = route.methods
            if methods.contains(.get), !methods.contains(.head) { methods.append(.head) }
            let allow = methods.map(\.rawValue).joined(separator: ", ")
            router.get(route.path) { _, _ in Response(status: .ok, headers: [.allow: allow]) }
        }
        let responder = router.buildResponder()
        table.withLock { $0 = responder }
    }

    /// The `Allow` value for the request's address, or nil when no route has that address.
    func allow(for request: Request, context: SiteRequestContext) async -> String? {
        guard let table = table.withLock({ $0 }) else { return nil }
        var head = request.head
        head.method = .get
        guard let response = try? await table.respond(to: Request(head: head, body: .init(buffer: .init())), context: context),
            response.status == .ok
        else { return nil }
        return response.headers[.allow]
    }
}

/// A request the router could not place by its method gets 405 with the methods its address does answer.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = SiteRequestContext
    let allowed: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // A GET that a handler answered 404 (an unknown story) has GET among its address's methods, and stays a 404.
            guard let allow = await allowed.allow(for: request, context: context),
                !allow.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == request.method.rawValue })
            else { throw error }
            throw HTTPError(
                .methodNotAllowed, headers: [.allow: allow],
                message: "This address does not answer \(request.method.rawValue); it answers \(allow).")
        }
    }
}

/// Every route added through it goes to the router and into the table of allowed methods.
final class RouteTable: RouterMethods {
    typealias Context = SiteRequestContext
    let router: Router<Context>
    private var routes: [String: (path: RouterPath, methods: [HTTPRequest.Method])] = [:]
    private var order: [String] = []

    init(router: Router<Context>) {
        self.router = router
    }

    @discardableResult
    func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method, responder: Responder) -> Self
    where Responder.Context == Context {
        router.on(path, method: method, responder: responder)
        let key = path.description
        if routes[key] == nil {
            routes[key] = (path, [])
            order.append(key)
        }
        routes[key]!.methods.append(method)
        return self
    }

    @discardableResult
    func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        router.add(middleware: middleware)
        return self
    }

    /// Every path pattern routed, in the order first added: what the route-table test holds to `Addresses.all`.
    var patterns: [String] { order }

    /// Hands the finished table to the middleware that answers 405.
    func freeze(into allowed: AllowedMethods) {
        allowed.freeze(order.map { routes[$0]! })
    }
}
