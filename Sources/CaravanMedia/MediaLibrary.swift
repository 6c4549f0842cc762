import CaravanCore
import CaravanStorage
import Foundation

/// The media library as the newsroom, the command line and the demo use it: every picture processed the same way
/// before it is stored.
public struct MediaLibrary: Sendable {
    public let store: any MediaStore
    public let processor: ImageProcessor

    public init(store: any MediaStore, rules: MediaRules = MediaRules()) {
        self.store = store
        processor = ImageProcessor(rules: rules)
    }

    public var rules: MediaRules { processor.rules }

    /// Processes the file and stores it with its words; throws a `MediaProblem` for a file the library refuses.
    public func add(_ bytes: [UInt8], alt: String, caption: String = "", credit: String = "", now: Date = Date())
        async throws -> MediaAddition
    {
        let processed = try await processor.process(bytes)
        // The id comes from the bytes, so the same file gets the same id everywhere (the demo's stories name theirs);
        // a photograph whose picture was replaced keeps its id, and a new one then takes a random id instead.
        var id = String(processed.fingerprint.prefix(12))
        if let taken = try await store.item(id: id), taken.file != processed.file {
            id = (0..<12).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
        }
        return try await store.add(
            MediaUpload(
                id: id, file: processed.file, alt: Self.clean(alt),
                caption: Self.clean(caption), credit: Self.clean(credit), width: processed.width, height: processed.height,
                uploaded: now, files: processed.files))
    }

    /// New files for a photograph no story uses, under the same id and words.
    public func replace(id: String, with bytes: [UInt8], now: Date = Date()) async throws -> MediaItem {
        guard let item = try await store.item(id: id) else { throw MediaStoreError.notFound(id: id) }
        let uses = try await store.uses(id: id)
        guard uses.isEmpty else { throw MediaStoreError.inUse(id: id, by: uses) }
        let processed = try await processor.process(bytes)
        return try await store.replace(
            id: id,
            with: MediaUpload(
                id: id, file: processed.file, alt: item.alt, caption: item.caption, credit: item.credit,
                width: processed.width, height: processed.height, uploaded: now, files: processed.files))
    }

    /// One line, at most 500 characters: alt text and captions are short by nature.
    public static func clean(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces).prefix(500))
    }
}
