import CaravanStorage
import Foundation
import Hummingbird
import Metrics
import Prometheus

/// Liveness, metrics and the stylesheet: what operators and browsers fetch besides pages.
struct OperationsController: Sendable {
    let store: any ArticleStore
    let metrics: PrometheusCollectorRegistry
    let stylesheet: Stylesheet

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in
            // Live means the database answers, not merely that the process is up.
            _ = try await store.contentVersion()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/metrics") { _, _ in
            var bytes: [UInt8] = []
            metrics.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/static/caravan.css") { request, _ in
            var headers: HTTPFields = [
                .contentType: "text/css; charset=utf-8",
                .eTag: stylesheet.etag,
                // The URL carries the content hash, so browsers may keep it for a year.
                .cacheControl: "public, max-age=31536000, immutable",
            ]
            // Weak comparison: the gzipped stylesheet goes out with a weak tag.
            if EntityTag.requestMatches(request, etag: stylesheet.etag) {
                headers[.contentType] = nil
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: stylesheet.body))
        }
    }
}

/// The one stylesheet, read once at start-up and named by its content hash.
struct Stylesheet: Sendable {
    let body: ByteBuffer
    let version: String
    var etag: String { "\"\(version)\"" }

    static func load() throws -> Stylesheet {
        guard let url = Bundle.module.url(forResource: "Static/caravan", withExtension: "css")
            ?? Bundle.module.url(forResource: "caravan", withExtension: "css", subdirectory: "Static")
        else { throw WebError.missingResource("Static/caravan.css") }
        let data = try Data(contentsOf: url)
        return Stylesheet(body: ByteBuffer(bytes: data), version: ContentHash.of(data))
    }
}

/// The process's metrics registry.
///
/// swift-metrics has one global backend per process by design, so the registry is bootstrapped exactly once here
/// and every application in the process (tests build many) reports into it.
public enum Telemetry {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
