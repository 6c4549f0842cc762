import CaravanCore
import CaravanStorage
import CaravanTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The media library as an editor uses it and as a reader's browser fetches its files.
@Suite("Photographs in the newsroom and on the page")
struct MediaWebTests {
    /// Signs an editor in and opens the library, so the browser holds the form's token.
    private func editor(_ client: any TestClientProtocol, _ fixture: NewsroomFixture) async throws -> Browser {
        try await fixture.person("editor@caravan.test", .editor)
        let browser = Browser(client)
        #expect(try await browser.signIn("editor@caravan.test").status == .seeOther)
        #expect(try await browser.get("/admin/media").status == .ok)
        return browser
    }

    private func mediaID(_ location: String?) -> String? {
        guard let location, location.hasPrefix("/admin/media/") else { return nil }
        return String(location.dropFirst("/admin/media/".count).prefix { $0 != "?" })
    }

    @Test("an upload with the form's token is stored at every width, and every served file is free of camera metadata")
    func upload() async throws {
        try await withNewsroom { client, fixture in
            let browser = try await editor(client, fixture)
            let photo = try TestImages.cameraJPEG(width: 1600, height: 1000, orientation: 6)
            let sent = try await browser.postMultipart(
                "/admin/media", [("alt", "Herders at dawn"), ("caption", "Suusamyr valley"), ("credit", "Caravan")],
                files: [("file", "IMG_0042.JPG", photo)])
            #expect(sent.status == .seeOther)
            let id = try #require(mediaID(sent.location))
            let page = try await browser.get("/admin/media/\(id)?notice=uploaded")
            #expect(page.status == .ok)
            #expect(page.body.contains("The photograph is in the library."))
            #expect(page.body.contains("value=\"Herders at dawn\""))
            let item = try #require(try await fixture.media.item(id: id))
            #expect((item.width, item.height) == (1000, 1600), "turned upright by its orientation tag")
            #expect(item.sizes(.webp).map(\.width) == [320, 640, 960, 1000])
            #expect(item.sizes(.jpeg).map(\.width) == [320, 640, 960, 1000])
            for variant in item.variants {
                let served = try await browser.get("/media/\(item.file)/\(variant.name)")
                #expect(served.status == .ok, "\(variant.name)")
                #expect(served.headers[.contentType] == variant.format.contentType)
                #expect(served.bytes.count == variant.length)
                let tags = try TestImages.tags(of: served.bytes)
                #expect(!tags.keys.contains { $0.contains("GPS") || $0.hasPrefix("EXIF:") || $0.hasPrefix("XMP") || $0.hasPrefix("IPTC") },
                        "\(variant.name): \(tags.keys.sorted())")
            }
        }
    }

    @Test("an upload without the session's token is refused and stores nothing")
    func forged() async throws {
        try await withNewsroom { client, fixture in
            let browser = try await editor(client, fixture)
            let photo = try TestImages.gradient(width: 400, height: 300, format: "jpg")
            for token in [String?.none, "not-the-token"] {
                let sent = try await browser.postMultipart("/admin/media", [("alt", "x")], files: [("file", "a.jpg", photo)], csrf: .some(token))
                #expect(sent.status == .forbidden)
                #expect(sent.body.contains("security token"))
            }
            #expect(try await fixture.media.library(words: "", page: 1, perPage: 10).total == 0)
        }
    }

    @Test("a bad file among good ones is named with its reason; the good ones are stored, the bad one is not")
    func badFiles() async throws {
        try await withNewsroom(mediaRules: MediaRules(maximumBytes: 200_000)) { client, fixture in
            let browser = try await editor(client, fixture)
            let good = try TestImages.gradient(width: 500, height: 300, format: "png", transparent: true)
            let whole = try TestImages.gradient(width: 900, height: 600, format: "jpg")
            let sent = try await browser.postMultipart(
                "/admin/media", [("alt", "Test")],
                files: [
                    ("file", "notes.jpg", Array("just some text".utf8)), ("file", "logo.png", good),
                    ("file", "cut.jpg", Array(whole.prefix(whole.count / 2))),
                    ("file", "bomb.png", TestImages.pngClaiming(width: 50_000, height: 50_000)),
                    ("file", "drawing.svg", Array("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".utf8)),
                    ("file", "huge.jpg", [0xFF, 0xD8, 0xFF] + Array(repeating: 0, count: 300_000)),
                ])
            #expect(sent.status == .unprocessableContent)
            #expect(sent.body.contains("“notes.jpg”: The file is not a JPEG, PNG or WebP image"))
            #expect(sent.body.contains("“cut.jpg”: The file is damaged or cut short"))
            #expect(sent.body.contains("“bomb.png”: The picture claims 50000 × 50000 pixels"))
            #expect(sent.body.contains("“drawing.svg”: The file is an SVG drawing"))
            #expect(sent.body.contains("“huge.jpg”: The file is 292 kB, larger than the 195 kB"))
            #expect(sent.body.contains("1 of 6 photographs are in the library."))
            let stored = try await fixture.media.library(words: "", page: 1, perPage: 10)
            #expect(stored.total == 1 && stored.items.first?.variants.contains { $0.name == "original.png" } == true)
            let empty = try await browser.postMultipart("/admin/media", [("alt", "none")], files: [])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("Choose one or more photographs"))
        }
    }

    @Test("an upload cut off halfway stores nothing: the part that did not arrive whole is not a file")
    func interrupted() async throws {
        try await withNewsroom { client, fixture in
            let browser = try await editor(client, fixture)
            let token = try #require(browser.csrf)
            let photo = try TestImages.gradient(width: 800, height: 600, format: "jpg")
            let (whole, contentType) = Multipart.body(fields: [("csrf", token), ("alt", "Cut")], files: [("file", "cut.jpg", photo)])
            let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            for cut in [whole.count - 100, whole.count / 2, 300] {
                let answer = try await client.execute(
                    uri: "/admin/media", method: .post, headers: [.contentType: contentType, .cookie: cookie],
                    body: ByteBuffer(bytes: whole.prefix(cut))
                ) { ($0.status, String(buffer: $0.body)) }
                #expect(answer.0 == .unprocessableContent || answer.0 == .forbidden, "cut at \(cut) bytes: \(answer.0)")
                #expect(!answer.1.contains("is in the library"))
            }
            #expect(try await fixture.media.library(words: "", page: 1, perPage: 10).total == 0)
        }
    }

    @Test("files are immutable: a year's cache, an ETag that answers 304, byte ranges, and 404 for what is not there")
    func serving() async throws {
        try await withNewsroom { client, fixture in
            let browser = try await editor(client, fixture)
            let sent = try await browser.postMultipart(
                "/admin/media", [("alt", "Gradient")], files: [("file", "g.jpg", try TestImages.gradient(width: 700, height: 400, format: "jpg"))])
            let id = try #require(mediaID(sent.location))
            let item = try #require(try await fixture.media.item(id: id))
            let path = "/media/\(item.file)/640.webp"
            let whole = try await browser.get(path)
            #expect(whole.status == .ok)
            #expect(whole.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(whole.headers[.acceptRanges] == "bytes")
            let etag = try #require(whole.headers[.eTag])
            #expect(try await browser.get(path, headers: [.ifNoneMatch: etag]).status == .notModified)

            let part = try await browser.get(path, headers: [.range: "bytes=10-109"])
            #expect(part.status == .partialContent)
            #expect(part.headers[.contentRange] == "bytes 10-109/\(whole.bytes.count)")
            #expect(part.bytes == Array(whole.bytes[10..<110]))
            let tail = try await browser.get(path, headers: [.range: "bytes=-50"])
            #expect(tail.bytes == Array(whole.bytes.suffix(50)))
            let beyond = try await browser.get(path, headers: [.range: "bytes=\(whole.bytes.count)-"])
            #expect(beyond.status == .rangeNotSatisfiable)
            #expect(beyond.headers[.contentRange] == "bytes */\(whole.bytes.count)")

            for missing in ["/media/\(item.file)/1920.webp", "/media/\(item.file)/640.gif", "/media/\(item.file)/..%2Foriginal.jpg",
                            "/media/NOTAHASH/640.webp", "/media/\(String(repeating: "0", count: 24))/640.webp"] {
                #expect(try await browser.get(missing).status == .notFound, "\(missing)")
            }
        }
    }

    @Test("a story with a featured and an inline photograph: publishing waits for alt text, then the page has every width")
    func storyWithPhotographs() async throws {
        try await withNewsroom { client, fixture in
            let browser = try await editor(client, fixture)
            let featuredSent = try await browser.postMultipart(
                "/admin/media", [("alt", ""), ("caption", "Snow on the passes"), ("credit", "Caravan")],
                files: [("file", "f.jpg", try TestImages.gradient(width: 2400, height: 1600, format: "jpg"))])
            let inlineSent = try await browser.postMultipart(
                "/admin/media", [("alt", "Sheep on a hillside")], files: [("file", "i.png", try TestImages.gradient(width: 1300, height: 800, format: "png"))])
            let featuredID = try #require(mediaID(featuredSent.location))
            let inlineID = try #require(mediaID(inlineSent.location))
            let featured = try #require(try await fixture.media.item(id: featuredID))
            let inline = try #require(try await fixture.media.item(id: inlineID))

            let form = try await browser.get("/admin/articles/new")
            #expect(form.body.contains("name=\"image_media\" value=\"\(featured.id)\""), "the form offers the library's photographs")
            let body = "The road over the pass opened.\n\n![Sheep grazing](/media/\(inline.file)/1200.jpg)\n\nTraffic followed."
            var fields = storyFields(title: "The pass opens", body: body, intent: "publish")
            fields.append(("image_media", featured.id))
            let refused = try await browser.post("/admin/articles", fields)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("The featured photograph has no alt text yet"))

            _ = try await browser.get("/admin/media/\(featured.id)")
            #expect(try await browser.post("/admin/media/\(featured.id)", [("alt", "A mountain pass under snow"), ("caption", "Snow on the passes"), ("credit", "Caravan")]).status == .seeOther)
            _ = try await browser.get("/admin/articles/new")
            let published = try await browser.post("/admin/articles", fields)
            #expect(published.status == .seeOther)

            let page = try await client.execute(uri: "/articles/the-pass-opens", method: .get) { String(buffer: $0.body) }
            let widths = [320, 640, 960, 1200, 1920]
            let webps = widths.map { "/media/\(featured.file)/\($0).webp \($0)w" }.joined(separator: ", ")
            let jpegs = widths.map { "/media/\(featured.file)/\($0).jpg \($0)w" }.joined(separator: ", ")
            #expect(page.contains("<source type=\"image/webp\" srcset=\"\(webps)\""))
            #expect(page.contains("srcset=\"\(jpegs)\""))
            #expect(page.contains("width=\"2400\" height=\"1600\" alt=\"A mountain pass under snow\" fetchpriority=\"high\""))
            #expect(page.contains("Snow on the passes"))
            #expect(page.contains("<meta property=\"og:image\" content=\"http://127.0.0.1:8080/media/\(featured.file)/1200.jpg\">"))
            let inlineWebps = [320, 640, 960, 1200, 1300].map { "/media/\(inline.file)/\($0).webp \($0)w" }.joined(separator: ", ")
            #expect(page.contains("srcset=\"\(inlineWebps)\""), "the body's image is served at every width")
            #expect(page.contains("alt=\"Sheep grazing\" loading=\"lazy\""), "the body's own alt text wins, and it loads lazily")
            #expect(!page.contains("<img src=\"/media/\(inline.file)/1200.jpg\" alt"), "no bare image is left")

            // Feeds carry the featured photograph's 1200-wide JPEG.
            let large = try #require(featured.jpeg(atLeast: 1200))
            let url = "http://127.0.0.1:8080/media/\(featured.file)/1200.jpg"
            let rss = try await client.execute(uri: "/feed.xml", method: .get) { String(buffer: $0.body) }
            #expect(rss.contains("<enclosure url=\"\(url)\" length=\"\(large.length)\" type=\"image/jpeg\"/>"))
            let atom = try await client.execute(uri: "/atom.xml", method: .get) { String(buffer: $0.body) }
            #expect(atom.contains("<link rel=\"enclosure\" type=\"image/jpeg\" length=\"\(large.length)\" href=\"\(url)\"/>"))
            let json = try await client.execute(uri: "/feed.json", method: .get) { String(buffer: $0.body) }
            #expect(json.contains("\"image\":\"\(url)\""))

            // In use now: neither deleted nor replaced, and the page says by what.
            _ = try await browser.get("/admin/media/\(inline.id)")
            let delete = try await browser.post("/admin/media/\(inline.id)/delete", [])
            #expect(delete.status == .conflict)
            #expect(delete.body.contains("The photograph is used by a story: “The pass opens”"))
            #expect(try await fixture.media.item(id: inline.id) != nil)
        }
    }

    @Test("only editors replace or delete; a replaced picture's old bytes can come back as a new photograph")
    func replaceAndDelete() async throws {
        try await withNewsroom { client, fixture in
            let editor = try await editor(client, fixture)
            let first = try TestImages.gradient(width: 420, height: 300, format: "jpg")
            let second = try TestImages.gradient(width: 430, height: 300, format: "jpg")
            let sent = try await editor.postMultipart("/admin/media", [("alt", "First")], files: [("file", "a.jpg", first)])
            let id = try #require(mediaID(sent.location))
            _ = try await editor.get("/admin/media/\(id)")
            let replaced = try await editor.postMultipart("/admin/media/\(id)/replace", [], files: [("file", "b.jpg", second)])
            #expect(replaced.status == .seeOther)
            #expect(try await fixture.media.item(id: id)?.width == 430)
            #expect(try await fixture.media.item(id: id)?.alt == "First", "the words stay")

            _ = try await editor.get("/admin/media")
            let again = try await editor.postMultipart("/admin/media", [("alt", "First, again")], files: [("file", "a.jpg", first)])
            #expect(again.status == .seeOther)
            let newID = try #require(mediaID(again.location))
            #expect(newID != id, "the id the first bytes gave is taken by the replaced photograph")
            _ = try await editor.get("/admin/media/\(id)")
            let duplicate = try await editor.postMultipart("/admin/media/\(id)/replace", [], files: [("file", "a.jpg", first)])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.body.contains("already in the library, as photograph \(newID)"))

            try await fixture.person("author@caravan.test", .author)
            let author = Browser(client)
            _ = try await author.signIn("author@caravan.test")
            _ = try await author.get("/admin/media/\(id)")
            #expect(try await author.post("/admin/media/\(id)/delete", []).status == .forbidden)
            #expect(try await author.postMultipart("/admin/media/\(id)/replace", [], files: [("file", "c.jpg", second)]).status == .forbidden)
            #expect(try await fixture.media.item(id: id) != nil)
            _ = try await editor.get("/admin/media/\(id)")
            let deleted = try await editor.post("/admin/media/\(id)/delete", [])
            #expect(deleted.status == .seeOther)
            #expect(try await fixture.media.item(id: id) == nil)
        }
    }

    @Test("a stranger's multipart post is not read: it goes to the sign-in page and stores nothing")
    func stranger() async throws {
        try await withNewsroom { client, fixture in
            let stranger = Browser(client)
            let sent = try await stranger.postMultipart(
                "/admin/media", [("alt", "x")], files: [("file", "a.jpg", try TestImages.gradient(width: 300, height: 200, format: "jpg"))],
                csrf: .some("guess"))
            #expect(sent.status == .unauthorized)
            #expect(try await fixture.media.library(words: "", page: 1, perPage: 10).total == 0)
        }
    }

    @Test("the library finds photographs by the words of their alt text, caption or credit")
    func librarySearch() async throws {
        try await withNewsroom { client, fixture in
            let browser = try await editor(client, fixture)
            _ = try await browser.postMultipart("/admin/media", [("alt", "Cotton harvest"), ("credit", "Nodira")], files: [("file", "a.jpg", try TestImages.gradient(width: 300, height: 200, format: "jpg"))])
            _ = try await browser.get("/admin/media")
            _ = try await browser.postMultipart("/admin/media", [("alt", "Railway station"), ("caption", "Almaty-2")], files: [("file", "b.jpg", try TestImages.gradient(width: 310, height: 200, format: "jpg"))])
            let found = try await browser.get("/admin/media?q=almaty")
            #expect(found.body.contains("1 photograph"))
            #expect(found.body.contains("Railway station") && !found.body.contains("Cotton harvest"))
            #expect(try await browser.get("/admin/media?q=nodira+cotton").body.contains("Cotton harvest"))
        }
    }
}
