import CaravanCore
import CaravanStorage
import Foundation
import Testing

/// The behaviour every MediaStore must have, on SQLite and on PostgreSQL.
@Suite("MediaStore contract")
struct MediaStoreContractTests {
    typealias N = Newsroom

    /// A photograph's upload with made-up files: the store keeps bytes, it does not read pictures.
    static func upload(_ id: String, file: String, alt: String = "", caption: String = "", credit: String = "", at day: Int = 1)
        -> MediaUpload
    {
        let files = [
            MediaFile(name: "original.jpg", format: .jpeg, width: 800, height: 600, bytes: Array(repeating: 0xFF, count: 3_000)),
            MediaFile(name: "320.webp", format: .webp, width: 320, height: 240, bytes: Array("RIFF-\(id)".utf8)),
            MediaFile(name: "320.jpg", format: .jpeg, width: 320, height: 240, bytes: [0xFF, 0xD8, 0xFF, 0x00, 0x01]),
            MediaFile(name: "640.jpg", format: .jpeg, width: 640, height: 480, bytes: Array(0...255)),
        ]
        return MediaUpload(
            id: id, file: file, alt: alt, caption: caption, credit: credit, width: 800, height: 600, uploaded: N.day(day),
            files: files)
    }

    @Test(arguments: NewsroomBackend.all) func aPhotographAndItsFilesReadBackByteForByte(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let upload = Self.upload("a1b2c3d4e5f6", file: String(repeating: "ab", count: 12), alt: "A yurt", credit: "Caravan")
            guard case .added(let item) = try await stores.media.add(upload) else {
                Issue.record("a new photograph must be added")
                return
            }
            #expect(item.id == "a1b2c3d4e5f6" && item.alt == "A yurt" && item.credit == "Caravan")
            #expect((item.width, item.height) == (800, 600))
            #expect(item.uploaded == N.day(1))
            #expect(Set(item.variants.map(\.name)) == ["original.jpg", "320.webp", "320.jpg", "640.jpg"])
            #expect(item.variants.first { $0.name == "640.jpg" }?.length == 256)
            #expect(item.sizes(.jpeg).map(\.width) == [320, 640])
            #expect(try await stores.media.item(id: item.id) == item)
            let file = try #require(try await stores.media.file(item.file, name: "640.jpg"))
            #expect(file.bytes == Array(0...255) && file.format == .jpeg && file.width == 640)
            #expect(try await stores.media.file(item.file, name: "1920.jpg") == nil)
            #expect(try await stores.media.file(String(repeating: "cd", count: 12), name: "640.jpg") == nil)
        }
    }

    @Test(arguments: NewsroomBackend.all) func theSameFileTwiceIsOnePhotograph(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let file = String(repeating: "12", count: 12)
            _ = try await stores.media.add(Self.upload("111111111111", file: file, alt: "First"))
            let again = try await stores.media.add(Self.upload("111111111111", file: file, alt: "Second words"))
            #expect(again == .alreadyThere(try #require(try await stores.media.item(id: "111111111111"))))
            #expect(again.item.alt == "First", "the stored words are kept")
            #expect(try await stores.media.library(words: "", page: 1, perPage: 10).total == 1)
        }
    }

    @Test(arguments: NewsroomBackend.all) func theLibraryFindsEveryWordInAltCaptionOrCreditNewestFirst(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.media.add(Self.upload("aaaaaaaaaaa1", file: String(repeating: "a1", count: 12), alt: "Snow on the Tian Shan", credit: "Aigerim", at: 1))
            _ = try await stores.media.add(Self.upload("aaaaaaaaaaa2", file: String(repeating: "a2", count: 12), alt: "A bazaar", caption: "Melons in Osh", credit: "Timur", at: 2))
            _ = try await stores.media.add(Self.upload("aaaaaaaaaaa3", file: String(repeating: "a3", count: 12), alt: "Train on the steppe", caption: "100% grain", at: 3))
            let all = try await stores.media.library(words: "", page: 1, perPage: 2)
            #expect(all.total == 3 && all.items.map(\.id) == ["aaaaaaaaaaa3", "aaaaaaaaaaa2"])
            #expect(try await stores.media.library(words: "", page: 2, perPage: 2).items.map(\.id) == ["aaaaaaaaaaa1"])
            #expect(try await stores.media.library(words: "osh TIMUR", page: 1, perPage: 10).items.map(\.id) == ["aaaaaaaaaaa2"])
            #expect(try await stores.media.library(words: "the", page: 1, perPage: 10).total == 2)
            #expect(try await stores.media.library(words: "snow bazaar", page: 1, perPage: 10).total == 0, "every word must match")
            #expect(try await stores.media.library(words: "100%", page: 1, perPage: 10).items.map(\.id) == ["aaaaaaaaaaa3"])
            #expect(try await stores.media.library(words: "%", page: 1, perPage: 10).total == 1, "a typed % is a character")
            let files = [String(repeating: "a1", count: 12), String(repeating: "a3", count: 12), String(repeating: "ff", count: 12)]
            #expect(Set(try await stores.media.items(files: files).map(\.id)) == ["aaaaaaaaaaa1", "aaaaaaaaaaa3"])
        }
    }

    @Test(arguments: NewsroomBackend.all) func describingChangesTheWordsAndMakesPagesStale(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.media.add(Self.upload("bbbbbbbbbbbb", file: String(repeating: "bb", count: 12)))
            let before = try await stores.articles.contentVersion()
            let described = try await stores.media.describe(id: "bbbbbbbbbbbb", alt: "Herders", caption: "At dawn", credit: "Caravan")
            #expect((described.alt, described.caption, described.credit) == ("Herders", "At dawn", "Caravan"))
            #expect(try await stores.media.item(id: "bbbbbbbbbbbb")?.alt == "Herders")
            #expect(try await stores.articles.contentVersion() > before, "pages showing the photograph carry its words")
            await #expect(throws: MediaStoreError.notFound(id: "nothere00000")) {
                _ = try await stores.media.describe(id: "nothere00000", alt: "", caption: "", credit: "")
            }
        }
    }

    @Test(arguments: NewsroomBackend.all) func aPhotographInUseIsNeitherReplacedNorDeleted(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let featured = String(repeating: "fe", count: 12)
            let inline = String(repeating: "1e", count: 12)
            _ = try await stores.media.add(Self.upload("feafeafeafea", file: featured, alt: "Featured"))
            _ = try await stores.media.add(Self.upload("inlineinline", file: inline, alt: "Inline"))
            _ = try await stores.media.add(Self.upload("unusedunused", file: String(repeating: "00", count: 12)))
            try await N.draft(stores, "s1", N.content("With a featured photograph", image: FeaturedImage(media: "feafeafeafea")), by: dana)
            try await N.draft(stores, "s2", N.content("With one inside", body: "Text.\n\n![Inline](/media/\(inline)/640.jpg)\n\nMore."), by: dana)

            #expect(try await stores.media.uses(id: "feafeafeafea").map(\.title) == ["With a featured photograph"])
            #expect(try await stores.media.uses(id: "inlineinline").map(\.title) == ["With one inside"])
            #expect(try await stores.media.uses(id: "unusedunused").isEmpty)
            let read = try await stores.newsroom.story(id: "s1")
            #expect(read?.content.image?.media == "feafeafeafea", "the featured photograph is stored with the story")

            for id in ["feafeafeafea", "inlineinline"] {
                await #expect {
                    try await stores.media.delete(id: id)
                } throws: { error in
                    guard case .inUse(let refused, let uses)? = error as? MediaStoreError else { return false }
                    return refused == id && uses.count == 1
                }
                await #expect {
                    _ = try await stores.media.replace(id: id, with: Self.upload(id, file: String(repeating: "99", count: 12)))
                } throws: { error in
                    if case .inUse? = error as? MediaStoreError { return true }
                    return false
                }
                #expect(try await stores.media.item(id: id) != nil, "a refused change leaves the photograph as it was")
            }

            let replaced = try await stores.media.replace(id: "unusedunused", with: Self.upload("unusedunused", file: String(repeating: "77", count: 12), alt: "ignored"))
            #expect(replaced.file == String(repeating: "77", count: 12))
            #expect(try await stores.media.file(String(repeating: "00", count: 12), name: "640.jpg") == nil, "the old files are gone")
            #expect(try await stores.media.file(replaced.file, name: "640.jpg") != nil)
            try await stores.media.delete(id: "unusedunused")
            #expect(try await stores.media.item(id: "unusedunused") == nil)
            #expect(try await stores.media.file(replaced.file, name: "640.jpg") == nil)
            await #expect(throws: MediaStoreError.notFound(id: "unusedunused")) { try await stores.media.delete(id: "unusedunused") }
        }
    }
}
