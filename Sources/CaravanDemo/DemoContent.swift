import CaravanCore
import CaravanImport
import CaravanRates
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

    /// Loads the bundled national-bank payloads (saved real answers of each bank) when no rate is stored yet.
    /// - Returns: how many rates were stored.
    @discardableResult
    public static func installRatesIfEmpty(into desk: RateDesk, store: any RateStore, fetchedAt: Date) async throws -> Int {
        guard try await store.count() == 0 else { return 0 }
        guard let folder = Bundle.module.url(forResource: "Content/rates", withExtension: nil)
            ?? Bundle.module.resourceURL?.appendingPathComponent("Content/rates")
        else { throw DemoError.missing("Content/rates") }
        var stored = 0
        for source in RateSource.allCases {
            let sourceFolder = folder.appendingPathComponent(source.rawValue)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: sourceFolder.path))?.sorted() ?? []
            for file in files where !file.hasPrefix(".") {
                let data = try Data(contentsOf: sourceFolder.appendingPathComponent(file))
                let publications = try RatePayloadParser.parsePublications(data, source: source)
                stored += try await desk.store(publications, fetchedAt: fetchedAt).count
            }
        }
        return stored
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
