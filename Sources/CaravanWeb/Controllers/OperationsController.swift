import CaravanStorage
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

/// Liveness, metrics and the stylesheet: what operators and browsers fetch besides pages.
struct OperationsController: Sendable {
    let checkHealth: @Sendable () async throws -> Void
    let monitor: HealthMonitor
    let logger: Logger
    let metrics: PrometheusCollectorRegistry
    let stylesheet: StaticAsset
    let script: StaticAsset

    func addRoutes(to router: RouteTable) {
        router.get(Addresses.health) { _, _ in
            // Healthy means the database is the file opened and answers now, and pages are not failing on it.
            var trouble: String?
            do {
                try await checkHealth()
                trouble = monitor.recentTrouble()
            } catch {
                trouble = DatabaseTrouble.describe(error) ?? "\(error)"
                monitor.record(trouble!)
                logger.error("healthz: \(trouble!)")
            }
            return Response(
                status: trouble == nil ? .ok : .serviceUnavailable,
                headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: trouble.map { "unhealthy: \($0)\n" } ?? "ok\n")))
        }
        router.get(Addresses.metrics) { _, _ in
            var bytes: [UInt8] = []
            metrics.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        for asset in [stylesheet, script] {
            router.get(asset.address) { request, _ in asset.response(to: request) }
        }
    }
}

/// A file of Static/ (the stylesheet, the newsroom's script), read once at start-up and named by its content hash.
struct StaticAsset: Sendable {
    let address: Address
    var path: String { address.path() }
    let contentType: String
    let body: ByteBuffer
    let version: String
    var etag: String { "\"\(version)\"" }
    /// The address pages link to: the content hash in the query lets browsers keep the file for a year.
    var url: String { "\(path)?v=\(version)" }

    static func load(_ address: Address, contentType: String) throws -> StaticAsset {
        let name = address.path().split(separator: "/").last.map(String.init) ?? ""
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let url = Bundle.module.url(forResource: "Static/\(parts[0])", withExtension: parts[1])
            ?? Bundle.module.url(forResource: parts[0], withExtension: parts[1], subdirectory: "Static")
        else { throw WebError.missingResource("Static/\(name)") }
        let data = try Data(contentsOf: url)
        return StaticAsset(
            address: address, contentType: contentType, body: ByteBuffer(bytes: data), version: ContentHash.of(data))
    }

    static func stylesheet() throws -> StaticAsset { try load(Addresses.stylesheet, contentType: "text/css; charset=utf-8") }
    static func newsroomScript() throws -> StaticAsset {
        try load(Addresses.newsroomScript, contentType: "text/javascript; charset=utf-8")
    }

    func response(to request: Request) -> Response {
        var headers: HTTPFields = [
            .contentType: contentType,
            .eTag: etag,
            .cacheControl: "public, max-age=31536000, immutable",
        ]
        // Weak comparison: a gzipped file goes out with a weak tag.
        if EntityTag.requestMatches(request, etag: etag) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
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
