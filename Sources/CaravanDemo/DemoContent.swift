import CaravanCore
import CaravanStorage
import Foundation

/// The stories (and, with the rates, the payloads) that `caravan serve --demo` puts into an empty database.
public enum DemoContent {
    /// The bundled article JSON Lines file.
    public static var articlesURL: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "Content/articles", withExtension: "jsonl")
                ?? Bundle.module.url(forResource: "articles", withExtension: "jsonl", subdirectory: "Content")
            else { throw DemoError.missing("Content/articles.jsonl") }
            return url
        }
    }

    /// Loads the demo stories when the database has none; a database with content is never touched.
    /// - Returns: how many stories were loaded (0 when the database already had content).
    @discardableResult
    public static func installIfEmpty(into store: any ArticleStore, timeZone: TimeZone) async throws -> Int {
        guard try await store.count() == 0 else { return 0 }
        let importer = ArticleImporter(store: store, timeZone: timeZone)
        let report = try await importer.importFile(at: try articlesURL.path, strict: true)
        return report.inserted
    }

    public enum DemoError: Error, CustomStringConvertible {
        case missing(String)
        public var description: String {
            switch self {
            case .missing(let name): "the demo content \(name) is missing from the build"
            }
        }
    }
}
