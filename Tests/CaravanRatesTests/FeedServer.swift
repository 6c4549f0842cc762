import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A stand-in for the banks on 127.0.0.1: answers each path with what the test registered and remembers every request.
final class FeedServer: Sendable {
    enum Reply: Sendable {
        case payload(Data, contentType: String)
        case status(Int)
        /// Holds the request open until the test ends: a bank that never answers.
        case silence
    }

    /// One request as the server saw it.
    struct Seen: Sendable {
        let path: String
        let userAgent: String?
        let referer: String?
    }

    private struct State {
        var replies: [String: [Reply]] = [:]
        var seen: [Seen] = []
        var released = false
    }

    private let state = Mutex(State())
    private let portBox = Mutex(0)

    var port: Int { portBox.withLock { $0 } }

    /// `http://127.0.0.1:PORT` followed by `prefix`, for `RateFetcher.Configuration.baseURLs`.
    func base(_ prefix: String = "") -> String { "http://127.0.0.1:\(port)\(prefix)" }

    /// Successive requests to `path` (with its query) get successive replies; the last one repeats.
    func answer(_ path: String, _ replies: Reply...) {
        state.withLock { $0.replies[path] = replies }
    }

    func answer(_ path: String, fixture: String, contentType: String = "text/xml") throws {
        answer(path, .payload(try Fixture.data(fixture), contentType: contentType))
    }

    /// Every request so far, in arrival order.
    var requests: [Seen] { state.withLock { $0.seen } }

    func requests(to path: String) -> [Seen] { requests.filter { $0.path == path } }

    /// Records a request and picks its reply; nil for a path nobody registered.
    private func reply(to seen: Seen) -> Reply? {
        state.withLock { state in
            let earlier = state.seen.filter { $0.path == seen.path }.count
            state.seen.append(seen)
            guard let replies = state.replies[seen.path], let last = replies.last else { return nil }
            return earlier < replies.count ? replies[earlier] : last
        }
    }

    private func respond(to request: Request) async -> Response {
        let path = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
        let seen = Seen(path: path, userAgent: request.headers[.userAgent], referer: request.headers[.referer])
        switch reply(to: seen) {
        case .payload(let data, let contentType):
            return Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .status(let code):
            return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "status \(code)")))
        case .silence:
            // Polling keeps the handler cancellable by the end of the test without any extra machinery.
            let clock = ContinuousClock()
            let giveUp = clock.now + .seconds(10)
            while !state.withLock({ $0.released }), clock.now < giveUp {
                try? await Task.sleep(for: .milliseconds(20))
            }
            return Response(status: .gatewayTimeout)
        case nil:
            return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "no route for \(path)")))
        }
    }

    /// Runs `body` with a server listening on a free port of 127.0.0.1, then shuts the server down.
    static func run<T>(_ body: (FeedServer) async throws -> T) async throws -> T {
        let server = FeedServer()
        var quiet = Logger(label: "feed-server")
        quiet.logLevel = .critical
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in await server.respond(to: request) },
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "feed-server"),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: quiet)
        let group = ServiceGroup(services: [app], logger: quiet)
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                await group.triggerGracefulShutdown()
                throw FeedServerError.notListening
            }
            server.portBox.withLock { $0 = port }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(server))
            } catch {
                result = .failure(error)
            }
            // Let held requests go, or the graceful shutdown would wait for them.
            server.state.withLock { $0.released = true }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }
}

enum FeedServerError: Error {
    case notListening
}
