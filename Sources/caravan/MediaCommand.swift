import ArgumentParser
import CaravanCore
import CaravanMedia
import CaravanStorage
import Foundation

/// `caravan media add`: puts a photograph in the media library, processed as a newsroom upload is.
struct MediaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media", abstract: "Manages the media library.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Adds a photograph (JPEG, PNG or WebP) and prints its id on the last line.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The image file.")
        var file: String

        @Option(help: "What the picture shows, for readers who cannot see it.")
        var alt: String

        @Option(help: "The caption.")
        var caption = ""

        @Option(help: "Who made the picture.")
        var credit = ""

        @Option(help: "The largest file taken, in megabytes.")
        var uploadLimitMB = MediaRules.defaultMaximumBytes >> 20

        func run() async throws {
            try await reportingFailures {
                guard (1...200).contains(uploadLimitMB) else { throw CommandFailure("--upload-limit-mb must be from 1 to 200") }
                let bytes: [UInt8]
                do {
                    bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
                } catch {
                    throw CommandFailure("cannot read \(file): \(error.localizedDescription)")
                }
                let addition: MediaAddition = try await global.withStores { stores in
                    let library = MediaLibrary(store: stores.media, rules: MediaRules(maximumBytes: uploadLimitMB << 20))
                    do {
                        return try await library.add(bytes, alt: alt, caption: caption, credit: credit)
                    } catch let problem as MediaProblem {
                        throw CommandFailure("\(file): \(problem.message)")
                    }
                }
                let item = addition.item
                if case .alreadyThere = addition { print("already in the library:") }
                print("\(item.width) × \(item.height), \(item.variants.count) files, /media/\(item.file)/")
                print(item.id)
            }
        }
    }
}
