import ArgumentParser
import CaravanCore
import CaravanImport
import CaravanMedia
import CaravanStorage
import Foundation

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import articles.", subcommands: [JSONLines.self, WordPress.self])

    struct JSONLines: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "jsonl", abstract: "Import article JSON Lines, upserting by id.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Write nothing if any line is bad.")
        var strict = false

        @Argument(help: "The file to import.")
        var file: String

        func run() async throws {
            try await reportingFailures {
                let timeZone = try global.resolvedTimeZone()
                try await global.withStores { stores in
                let importer = ArticleImporter(
                    store: stores.articles, timeZone: timeZone,
                    photographExists: { [media = stores.media] in try await media.item(id: $0) != nil })
                let terminal = isatty(STDERR_FILENO) == 1
                let started = ContinuousClock.now
                let report = try await importer.importFile(
                    at: file, strict: strict,
                    progress: { progress in
                        guard terminal else { return }
                        FileHandle.standardError.write(Data("\r\u{1B}[K\(ImportProgressLine.text(progress))".utf8))
                    },
                    skipped: { line in
                        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                        print("line \(line.number): skipped: \(line.reason)")
                    })
                if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                let seconds = Double((ContinuousClock.now - started).components.seconds)
                    + Double((ContinuousClock.now - started).components.attoseconds) / 1e18
                print(report.summary)
                if terminal {
                    FileHandle.standardError.write(Data("\(report.lines) lines in \(String(format: "%.1f", seconds)) s\n".utf8))
                }
                }
            }
        }
    }
}

extension ImportCommand {
    struct WordPress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wxr",
            abstract: "Import a WordPress export (Tools → Export): posts, attachments and a redirect from every old address.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The export file (WXR 1.0, 1.1 or 1.2).")
        var file: String

        @Option(help: "A copy of the old site's wp-content/uploads folder, where the attachments' files are read.")
        var uploads: String?

        @Flag(help: "Write nothing if any item would be skipped.")
        var strict = false

        @Flag(help: "Say what would happen and write nothing.")
        var dryRun = false

        func run() async throws {
            try await reportingFailures {
                let timeZone = try global.resolvedTimeZone()
                if let uploads {
                    var folder: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: uploads, isDirectory: &folder), folder.boolValue else {
                        throw CommandFailure("--uploads: \(uploads) is not a folder")
                    }
                }
                try await global.withStores { stores in
                    let library = MediaLibrary(store: stores.media)
                    let importer = WXRImporter(
                        articles: stores.articles, redirects: stores.redirects, timeZone: timeZone,
                        addPhotograph: { bytes, alt, caption in
                            let item = try await library.add(bytes, alt: alt, caption: caption).item
                            return WXRImporter.Photograph(
                                id: item.id, folder: "/media/\(item.file)/", widths: item.sizes(.jpeg).map(\.width),
                                original: item.variants.first(where: \.isOriginal)?.name ?? "original.jpg")
                        })
                    let report: WXRImporter.Report
                    do {
                        report = try await importer.importFile(at: file, uploads: uploads, strict: strict, dryRun: dryRun)
                    } catch let error as WXRError {
                        throw CommandFailure(error.description)
                    }
                    if dryRun { print("dry run: nothing was written") }
                    for line in report.lines { print(line) }
                }
            }
        }
    }
}

struct RedirectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redirects", abstract: "The old site's addresses and where they lead.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every stored redirect, one FROM<TAB>TO a line.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await reportingFailures {
                try await global.withStores { stores in
                    for redirect in try await stores.redirects.redirects() { print("\(redirect.from)\t\(redirect.to)") }
                }
            }
        }
    }
}

/// "12,000 lines · 4,100 lines/s · 3 s left": what a person watching the import sees.
enum ImportProgressLine {
    static func text(_ progress: ArticleImporter.Progress) -> String {
        let seconds = max(0.001, Double(progress.elapsed.components.seconds) + Double(progress.elapsed.components.attoseconds) / 1e18)
        let rate = Double(progress.lines) / seconds
        var text = "\(progress.lines) lines · \(Int(rate)) lines/s"
        if let total = progress.totalBytes, total > 0, progress.bytesRead > 0 {
            let fraction = Double(progress.bytesRead) / Double(total)
            let left = seconds * (1 - fraction) / max(fraction, 0.0001)
            text += " · \(Int(fraction * 100))% · \(Int(left.rounded())) s left"
        }
        return text
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Bring the database schema up to date.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await reportingFailures {
            let engine = try await global.withStores { $0.engine }
            print("database schema is up to date (\(engine))")
        }
    }
}
