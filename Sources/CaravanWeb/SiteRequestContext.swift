import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Every request's context: Hummingbird's core, plus the peer's address for per-client sign-in throttling.
public struct SiteRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client as sign-in throttling counts it: the peer's address, or, when the peer is a proxy on this machine,
    /// the last address it added to `X-Forwarded-For` (the one it saw; earlier ones are the client's own claims).
    func clientAddress(_ request: Request) -> String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        guard Self.isLoopback(peer), let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        else { return peer }
        return last
    }

    static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address == "unknown"
    }
}
