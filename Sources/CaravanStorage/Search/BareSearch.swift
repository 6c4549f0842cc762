import CaravanCore
import CaravanSearch
import Foundation

/// The engine's own query with nothing around it (match, rank, order, limit): what `caravan bench search` compares
/// the site's search with.
public struct BareSearch: Sendable {
    /// "FTS5 MATCH + bm25 + ORDER BY + LIMIT" or the like, for the benchmark's header.
    public let description: String
    let run: @Sendable (SearchRequest) async throws -> Void

    public init(description: String, run: @escaping @Sendable (SearchRequest) async throws -> Void) {
        self.description = description
        self.run = run
    }

    public func callAsFunction(_ request: SearchRequest) async throws {
        try await run(request)
    }
}
