import CaravanCore
import CaravanStorage
import Foundation
import Synchronization
import Testing

@Suite("Importing article JSON Lines")
struct ArticleImporterTests {
    let zone = TimeZone(identifier: "Asia/Almaty")!

    func file(_ lines: [String], extra: Data = Data()) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString).jsonl").path
        var data = Data(lines.joined(separator: "\n").utf8)
        data.append(extra)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    func importer() throws -> (ArticleImporter, any ArticleStore) {
        let store = SQLiteArticleStore(database: try SQLiteDatabase.inMemory())
        return (ArticleImporter(store: store, timeZone: zone, batchSize: 2), store)
    }

    static let good = [
        #"{"id":"1","title":"One","body":"First."}"#,
        #"{"id":"2","title":"Two","body":"Second.","countries":["KZ"]}"#,
        #"{"id":"3","title":"Three","body":"Third."}"#,
    ]

    @Test func badLinesAreSkippedWithTheirNumbersAndTheRestIsImported() async throws {
        let (importer, store) = try importer()
        let path = try file([
            Self.good[0], "{not json", Self.good[1], "", #"{"id":"4","title":"X","countries":["ZZ"]}"#,
            #"{"id":"5","title":"Y","published":"tomorrow"}"#, Self.good[2],
        ])
        let skipped = Mutex<[ArticleImporter.SkippedLine]>([])
        let report = try await importer.importFile(at: path, skipped: { line in skipped.withLock { $0.append(line) } })
        #expect(report.summary == "imported 3, updated 0, skipped 3")
        let lines = skipped.withLock { $0 }
        #expect(lines.map(\.number) == [2, 5, 6])
        #expect(lines[1].reason.contains("unknown country code \"ZZ\""))
        #expect(lines[2].reason.contains("published"))
        #expect(try await store.count() == 3)
    }

    @Test func aSecondRunUpdatesAndAddsNothing() async throws {
        let (importer, store) = try importer()
        let path = try file(Self.good)
        _ = try await importer.importFile(at: path)
        let again = try await importer.importFile(at: path)
        #expect(again.summary == "imported 0, updated 3, skipped 0")
        #expect(try await store.count() == 3)
    }

    @Test func strictWritesNothingWhenAnyLineIsBad() async throws {
        let (importer, store) = try importer()
        let path = try file(Self.good + ["{oops"])
        await #expect {
            _ = try await importer.importFile(at: path, strict: true)
        } throws: { error in
            "\(error)" == "1 bad line found; with --strict nothing was written"
        }
        #expect(try await store.count() == 0)
        let clean = try await importer.importFile(at: try file(Self.good), strict: true)
        #expect(clean.inserted == 3)
    }

    @Test func aHugeLineAndInvalidUTF8AreSkippedWithoutStoppingTheImport() async throws {
        let (importer, store) = try importer()
        var extra = Data("\n".utf8)
        extra.append(Data(#"{"id":"big","title":""#.utf8))
        extra.append(Data(repeating: UInt8(ascii: "a"), count: 20 * 1024 * 1024))
        extra.append(Data(#""}"#.utf8))
        extra.append(Data("\n".utf8))
        extra.append(Data([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D]))  // {"\xC3("}
        extra.append(Data("\n".utf8))
        extra.append(Data(Self.good[2].utf8))
        let path = try file([Self.good[0], Self.good[1]], extra: extra)
        let skipped = Mutex<[ArticleImporter.SkippedLine]>([])
        let report = try await importer.importFile(at: path, skipped: { line in skipped.withLock { $0.append(line) } })
        #expect(report.summary == "imported 3, updated 0, skipped 2")
        let lines = skipped.withLock { $0 }
        #expect(lines.map(\.number) == [3, 4])
        #expect(lines[0].reason.contains("over the 8 MB limit"))
        #expect(lines[1].reason.contains("not valid UTF-8"))
        #expect(try await store.count() == 3)
    }

    @Test func aMissingFileIsOneClearSentence() async throws {
        let (importer, _) = try importer()
        await #expect {
            _ = try await importer.importFile(at: "/nonexistent/stories.jsonl")
        } throws: { error in
            "\(error)" == "cannot read /nonexistent/stories.jsonl: no such file"
        }
    }

    @Test func aDatabaseInAMissingFolderIsOneClearSentence() {
        #expect {
            _ = try SQLiteDatabase.open(path: "/nonexistent-folder/caravan.sqlite")
        } throws: { error in
            "\(error)" == "cannot open the database /nonexistent-folder/caravan.sqlite: the folder /nonexistent-folder does not exist"
        }
    }
}
