import CaravanCore
import CaravanImport
import CaravanMedia
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
    public static func installIfEmpty(
        into store: any ArticleStore, timeZone: TimeZone, media: (any MediaStore)? = nil
    ) async throws -> Int {
        guard try await store.count() == 0 else { return 0 }
        var exists: (@Sendable (String) async throws -> Bool)?
        if let media { exists = { try await media.item(id: $0) != nil } }
        let importer = ArticleImporter(store: store, timeZone: timeZone, photographExists: exists)
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

    /// One of the bundled illustrations and its words (`Content/images/photographs.json`).
    struct Photograph: Decodable {
        let file: String
        let alt: String
        let caption: String
        let credit: String
    }

    /// Puts the bundled illustrations in an empty media library, processed as uploads are; the demo stories name
    /// them by the ids their bytes give them.
    /// - Returns: how many were added.
    @discardableResult
    public static func installPhotographsIfEmpty(into library: MediaLibrary, now: Date = Date()) async throws -> Int {
        guard try await library.store.library(words: "", page: 1, perPage: 1).total == 0 else { return 0 }
        guard let folder = Bundle.module.url(forResource: "Content/images", withExtension: nil)
            ?? Bundle.module.resourceURL?.appendingPathComponent("Content/images")
        else { throw DemoError.missing("Content/images") }
        let manifest = try JSONDecoder().decode(
            [Photograph].self, from: Data(contentsOf: folder.appendingPathComponent("photographs.json")))
        for photograph in manifest {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(photograph.file)))
            _ = try await library.add(bytes, alt: photograph.alt, caption: photograph.caption, credit: photograph.credit, now: now)
        }
        return manifest.count
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
