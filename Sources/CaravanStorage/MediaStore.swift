import CaravanCore
import Foundation

/// A photograph ready to store: its description and every file processing made of it.
public struct MediaUpload: Sendable {
    public var id: String
    public var file: String
    public var alt: String
    public var caption: String
    public var credit: String
    public var width: Int
    public var height: Int
    public var uploaded: Date
    public var files: [MediaFile]

    public init(
        id: String, file: String, alt: String, caption: String, credit: String, width: Int, height: Int, uploaded: Date,
        files: [MediaFile]
    ) {
        self.id = id
        self.file = file
        self.alt = alt
        self.caption = caption
        self.credit = credit
        self.width = width
        self.height = height
        self.uploaded = uploaded
        self.files = files
    }
}

/// A story that shows a photograph, as a featured image or in its body.
public struct MediaUse: Sendable, Hashable {
    public var slug: String
    public var title: String

    public init(slug: String, title: String) {
        self.slug = slug
        self.title = title
    }
}

/// What `MediaStore.add` did.
public enum MediaAddition: Sendable, Hashable {
    case added(MediaItem)
    /// The same picture (byte for byte) was already in the library; nothing was stored.
    case alreadyThere(MediaItem)

    public var item: MediaItem {
        switch self {
        case .added(let item), .alreadyThere(let item): item
        }
    }
}

/// Why the library refused a change.
public enum MediaStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(id: String)
    /// The picture is already in the library, as another photograph.
    case duplicate(of: String)
    /// Replacing or deleting a photograph that stories show would change or break them.
    case inUse(id: String, by: [MediaUse])

    public var description: String {
        switch self {
        case .notFound(let id): "There is no photograph \(id) in the library."
        case .duplicate(let other): "This picture is already in the library, as photograph \(other)."
        case .inUse(_, let uses):
            "The photograph is used by \(uses.count == 1 ? "a story" : "\(uses.count) stories"): "
                + uses.map { "“\($0.title)”" }.joined(separator: ", ") + ". Take it out of them first."
        }
    }
}

/// The media library: photographs, their files, and which stories use them. Files live in the database on both
/// engines, so every instance on one database serves the same files with no shared disk.
public protocol MediaStore: Sendable {
    /// Stores the photograph and its files in one transaction, unless the same file is already there.
    func add(_ upload: MediaUpload) async throws -> MediaAddition
    func item(id: String) async throws -> MediaItem?
    /// The photographs with these ids, in no particular order; an unknown id is left out.
    func items(ids: [String]) async throws -> [MediaItem]
    /// The photographs whose files are addressed by these hashes (what a story's body points at).
    func items(files: [String]) async throws -> [MediaItem]
    /// Newest first; `words` (may be empty) must each occur in the alt text, caption or credit.
    func library(words: String, page: Int, perPage: Int) async throws -> (items: [MediaItem], total: Int)
    /// One file's bytes, by its address.
    func file(_ file: String, name: String) async throws -> MediaFile?
    /// Changes the words of a photograph; throws `MediaStoreError.notFound`.
    func describe(id: String, alt: String, caption: String, credit: String) async throws -> MediaItem
    /// The stories whose featured image is the photograph or whose body points at its files.
    func uses(id: String) async throws -> [MediaUse]
    /// Puts new files under a photograph no story uses; throws `MediaStoreError.inUse` otherwise, and
    /// `MediaStoreError.duplicate` when another photograph has these files.
    func replace(id: String, with upload: MediaUpload) async throws -> MediaItem
    /// Removes a photograph no story uses; throws `MediaStoreError.inUse` otherwise.
    func delete(id: String) async throws
}

extension MediaStore {
    /// The stories that use a photograph, in the form both engines' queries need: featured by id, or its files'
    /// address anywhere in a body's Markdown.
    public static func bodyPattern(file: String) -> String { "%/media/\(file)/%" }
}
