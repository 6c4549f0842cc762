import CaravanTestSupport
import Foundation
import Testing

/// `caravan media add` and a JSON Lines `image`, through the real executable, as an operator scripts a migration.
@Suite("caravan media add")
struct MediaCommandTests {
    /// Runs `caravan` to the end: its exit status, standard output and standard error.
    static func caravan(_ arguments: [String]) throws -> (status: Int32, out: String, err: String)? {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("caravan")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            print("media command test skipped: no caravan executable next to the test bundle at \(binary.path)")
            return nil
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complained = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, printed, complained)
    }

    @Test("a photograph is added and its id printed last; a story line names it; a bad file exits 1 with the reason")
    func addThenImport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("media-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = "sqlite:" + folder.appendingPathComponent("site.sqlite").path
        let photo = folder.appendingPathComponent("yurt.jpg")
        try Data(try TestImages.cameraJPEG(width: 1400, height: 900, orientation: 1)).write(to: photo)

        guard let added = try Self.caravan(["media", "add", photo.path, "--alt", "A yurt", "--credit", "Caravan", "--database", database])
        else { return }
        #expect(added.status == 0, "\(added.err)")
        let lines = added.out.split(separator: "\n")
        let id = try #require(lines.last.map(String.init))
        #expect(id.count == 12 && id.allSatisfy(\.isHexDigit))
        #expect(added.out.contains("1400 × 900"))

        let notImage = folder.appendingPathComponent("notes.jpg")
        try Data("meeting notes".utf8).write(to: notImage)
        let refused = try #require(try Self.caravan(["media", "add", notImage.path, "--alt", "x", "--database", database]))
        #expect(refused.status == 1)
        #expect(refused.err.contains("notes.jpg: The file is not a JPEG, PNG or WebP image"))

        let stories = folder.appendingPathComponent("stories.jsonl")
        try Data(
            [
                #"{"id":"y1","title":"Herders move up","body":"Text.","image":"\#(id)"}"#,
                #"{"id":"y2","title":"No such photograph","body":"Text.","image":"0000deadbeef"}"#,
            ].joined(separator: "\n").utf8
        ).write(to: stories)
        let imported = try #require(try Self.caravan(["import", "jsonl", stories.path, "--database", database]))
        #expect(imported.out.contains("imported 1, updated 0, skipped 1"))
        #expect((imported.out + imported.err).contains("there is no photograph 0000deadbeef in the media library"))
    }
}
