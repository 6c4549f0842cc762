import CaravanCore
import CaravanMedia
import CaravanRates
import CaravanSQLite
import CaravanStorage
import CaravanTestSupport
import CaravanWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A story's photographs as a real headless Chromium fetches them (`scripts/browser-images`) at a phone's width and
/// a desktop's: the variant each `<img>` needs, no wider.
@Suite("Photographs in a real browser")
struct BrowserImagesTests {
    @Test func aPhoneAndADesktopEachFetchTheWidthTheyNeed() async throws {
        let database = try SQLiteDatabase.inMemory()
        let store = SQLiteArticleStore(database: database, clock: { testNow })
        let zone = TimeZone(identifier: "Asia/Almaty")!
        let library = MediaLibrary(store: SQLiteMediaStore(database: database))
        let featured = try await library.add(try TestImages.gradient(width: 2400, height: 1600, format: "jpg"), alt: "A gradient").item
        let inline = try await library.add(try TestImages.gradient(width: 1500, height: 900, format: "png"), alt: "Another").item
        var story = ArticleSubmission(
            id: Article.ID("photo"), title: "Photographs at every width",
            body: (1...12).map { "Paragraph \($0) of a long story that pushes the body's photograph below the fold." }
                .joined(separator: "\n\n") + "\n\n![In the body](/media/\(inline.file)/1200.jpg)\n\nThe end.",
            published: testNow.addingTimeInterval(-3600), countries: [.kazakhstan])
        story.image = featured.id
        _ = try await store.save([story])
        let app = try await buildApplication(
            SiteDependencies(
                store: store, search: SQLiteSearchIndex(database: database, timeZone: zone),
                rates: RateDesk(store: SQLiteRateStore(database: database), timeZone: zone),
                configuration: SiteConfiguration(), clock: { testNow }, media: library))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let run = try await BrowserRun.script("browser-images", ["http://127.0.0.1:\(port)", "/articles/photographs-at-every-width"])
            #expect(run.status == 0, "\(run.printed)\n\(run.complaints)")
            let lines = run.lines
            #expect(lines.map { $0["viewport"] as? Int } == [390, 1280])
            for line in lines {
                #expect(line["ok"] as? Bool == true, "\(line)")
                let images = line["images"] as? [[String: Any]] ?? []
                #expect(images.count == 2, "the featured photograph and the body's, lazy or not: \(line)")
                let widths = images.compactMap { $0["variant_width"] as? Int }
                // The story column is 358 CSS pixels on a 390 phone and 672 on a desktop (device pixel ratio 1).
                #expect(widths == (line["viewport"] as? Int == 390 ? [640, 640] : [960, 960]), "\(line)")
                let fetched = (line["fetched"] as? [[String: Any]] ?? []).compactMap { $0["url"] as? String }
                #expect(fetched.allSatisfy { $0.hasSuffix(".webp") }, "a browser that takes WebP gets WebP: \(fetched)")
                #expect(fetched.count == 2, "one file a photograph, nothing more: \(fetched)")
            }
        }
    }
}

/// What a browser script printed, one JSON object a line, and how it ended.
struct BrowserRun: Sendable {
    let status: Int32
    let printed: String
    let complaints: String

    var lines: [[String: Any]] {
        printed.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Runs `scripts/NAME` with the Chromium and python3 on the PATH (a test fails without them), one browser at a
    /// time, while the site under test goes on answering.
    static func script(_ name: String, _ arguments: [String]) async throws -> BrowserRun {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/\(name)")
        let chromium = try #require(
            BrowserSearchTests.executable(named: ["chromium", "chromium-browser", "google-chrome"]),
            "Chromium is not installed, so nothing can be tried in a real browser: apt-get install chromium")
        let python = try #require(BrowserSearchTests.executable(named: ["python3"]), "python3 runs scripts/\(name)")
        return try await ChromiumTurn.shared.take {
            let process = Process()
            process.executableURL = python
            process.arguments = [script.path, "--chromium", chromium.path, "--timeout", "90"] + arguments
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // The browser runs while this task waits, so the server's own tasks keep answering it.
            return await Task.detached {
                let printed = output.fileHandleForReading.readDataToEndOfFile()
                let complaints = errors.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return BrowserRun(
                    status: process.terminationStatus, printed: String(decoding: printed, as: UTF8.self),
                    complaints: String(decoding: complaints, as: UTF8.self))
            }.value
        }
    }
}

/// One headless Chromium at a time: two starting together on two cores time each other out.
actor ChromiumTurn {
    static let shared = ChromiumTurn()
    private var busy = false

    func take<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        while busy { try await Task.sleep(for: .milliseconds(100)) }
        busy = true
        defer { busy = false }
        return try await body()
    }
}
