import CaravanCore
import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CaravanWeb

@Suite("Metadata for machines, HTTP caching and compression")
struct MetadataAndCachingTests {
    private static let site = "http://127.0.0.1:8080"
    private static let saiga = story(
        "saiga", title: "Saiga herds return to the steppe", body: "Rangers counted saiga calves near the Ural river.",
        tags: ["Wildlife", "Steppe"], section: "Environment")

    // MARK: Article metadata

    @Test func articleHeadCarriesCanonicalOpenGraphTwitterAndLanguageLinks() async throws {
        try await withSite(stories: [Self.saiga]) { client, store in
            let updated = try #require(try await store.article(slug: "saiga-herds-return-to-the-steppe")).updated
            let page = try await client.get("/articles/saiga-herds-return-to-the-steppe")
            #expect(page.status == .ok)
            let head = Self.head(of: page.body)
            let url = "\(Self.site)/articles/saiga-herds-return-to-the-steppe"
            for tag in [
                "<link rel=\"canonical\" href=\"\(url)\">",
                "<link rel=\"alternate\" hreflang=\"en\" href=\"\(url)\">",
                "<link rel=\"alternate\" hreflang=\"x-default\" href=\"\(url)\">",
                "<meta property=\"og:type\" content=\"article\">",
                "<meta property=\"og:title\" content=\"Saiga herds return to the steppe\">",
                "<meta property=\"og:description\" content=\"Rangers counted saiga calves near the Ural river.\">",
                "<meta property=\"og:url\" content=\"\(url)\">",
                "<meta property=\"og:site_name\" content=\"Caravan\">",
                "<meta property=\"article:published_time\" content=\"\(DateLine.iso8601(Self.saiga.published!))\">",
                "<meta property=\"article:modified_time\" content=\"\(DateLine.iso8601(updated))\">",
                "<meta property=\"article:section\" content=\"Environment\">",
                "<meta property=\"article:tag\" content=\"Wildlife\">",
                "<meta property=\"article:tag\" content=\"Steppe\">",
                "<meta name=\"twitter:card\" content=\"summary\">",
                "<meta name=\"twitter:title\" content=\"Saiga herds return to the steppe\">",
                "<meta name=\"twitter:description\" content=\"Rangers counted saiga calves near the Ural river.\">",
                "<meta name=\"description\" content=\"Rangers counted saiga calves near the Ural river.\">",
            ] {
                #expect(head.contains(tag), "missing \(tag)")
            }
            #expect(head.components(separatedBy: "rel=\"canonical\"").count - 1 == 1)
            #expect(page.headers[.lastModified] != nil)
        }
    }

    @Test("If-Modified-Since: 304 while the page is unchanged, 200 with a later Last-Modified once it changes")
    func ifModifiedSince() async throws {
        try await withSite(stories: [Self.saiga]) { client, store in
            for path in ["/articles/saiga-herds-return-to-the-steppe", "/", "/feed.xml", "/sitemap.xml", "/api/v1/articles"] {
                let first = try await client.get(path)
                let stamp = try #require(first.headers[.lastModified], "\(path)")
                let again = try await client.get(path, headers: [.ifModifiedSince: stamp])
                #expect(again.status == .notModified, "\(path)")
                // A validator the client does not hold wins: If-None-Match is asked first.
                let mismatch = try await client.get(path, headers: [.ifModifiedSince: stamp, .ifNoneMatch: "\"other\""])
                #expect(mismatch.status == .ok, "\(path)")
            }
            let before = try await client.get("/articles/saiga-herds-return-to-the-steppe")
            let stamp = try #require(before.headers[.lastModified])
            var corrected = Self.saiga
            corrected.body = "Rangers counted more saiga calves than ever near the Ural river."
            _ = try await store.save([corrected])
            // Changed within the same second, and still never "not modified".
            let after = try await client.get("/articles/saiga-herds-return-to-the-steppe", headers: [.ifModifiedSince: stamp])
            #expect(after.status == .ok)
            #expect(after.body.contains("more saiga calves"))
            // The new version's stamp is a second on from the old one; sent within that second, the header is capped at
            // the time of sending (never later than the answer's Date), and the old time still never gets a 304.
            let later = try #require(after.headers[.lastModified].flatMap(HTTPDate.parse))
            #expect(later <= Date())
            let repeated = try await client.get(
                "/articles/saiga-herds-return-to-the-steppe", headers: [.ifModifiedSince: stamp])
            #expect(repeated.status == .ok)
            let api = try await client.get("/api/v1/articles")
            #expect(try await client.get("/api/v1/articles", headers: [.ifModifiedSince: "not a date"]).status == .ok)
            #expect(api.status == .ok)
        }
    }

    @Test func standfirstIsTheDescriptionWhenThereIsOne() async throws {
        var submission = Self.saiga
        submission.standfirst = "Numbers are up for a third year."
        try await withSite(stories: [submission]) { client, _ in
            let head = Self.head(of: try await client.get("/articles/saiga-herds-return-to-the-steppe").body)
            #expect(head.contains("<meta property=\"og:description\" content=\"Numbers are up for a third year.\">"))
            let json = try Self.jsonLD(in: head)
            #expect(json["description"] as? String == "Numbers are up for a third year.")
        }
    }

    @Test func jsonLDDescribesTheStoryAsANewsArticle() async throws {
        try await withSite(stories: [Self.saiga]) { client, store in
            let updated = try #require(try await store.article(slug: "saiga-herds-return-to-the-steppe")).updated
            let page = try await client.get("/articles/saiga-herds-return-to-the-steppe")
            let json = try Self.jsonLD(in: page.body)
            let url = "\(Self.site)/articles/saiga-herds-return-to-the-steppe"
            #expect(json["@context"] as? String == "https://schema.org")
            #expect(json["@type"] as? String == "NewsArticle")
            #expect(json["headline"] as? String == "Saiga herds return to the steppe")
            #expect(json["datePublished"] as? String == DateLine.iso8601(Self.saiga.published!))
            #expect(json["dateModified"] as? String == DateLine.iso8601(updated))
            #expect(json["articleSection"] as? String == "Environment")
            #expect(json["inLanguage"] as? String == "en")
            let author = try #require(json["author"] as? [String: Any])
            #expect(author["@type"] as? String == "Person")
            #expect(author["name"] as? String == "Madina Rakhimova")
            let publisher = try #require(json["publisher"] as? [String: Any])
            #expect(publisher["@type"] as? String == "Organization")
            #expect(publisher["name"] as? String == "Caravan")
            let mainEntity = try #require(json["mainEntityOfPage"] as? [String: Any])
            #expect(mainEntity["@id"] as? String == url)
        }
    }

    @Test func aTitleThatClosesTheScriptStaysInsideTheJSON() async throws {
        let title = "Breakout </script><script>alert(1)</script> & more"
        try await withSite(stories: [story("x", title: title, section: "Politics")]) { client, _ in
            let page = try await client.get("/articles/breakout-script-script-alert-1-script-more")
            #expect(page.status == .ok)
            #expect(page.body.components(separatedBy: "<script").count - 1 == 1, "one script element, the JSON-LD")
            let opening = "<script type=\"application/ld+json\">"
            let inside = try #require(page.body.components(separatedBy: opening).dropFirst().first?
                .components(separatedBy: "</script>").first)
            #expect(!inside.lowercased().contains("</script"))
            #expect(!inside.contains("<"))
            #expect(inside.contains("\\u003c/script\\u003e"))
            #expect(try Self.jsonLD(in: page.body)["headline"] as? String == title)
        }
    }

    @Test(arguments: [
        ("a</script>b", #""a\u003c/script\u003eb""#),
        ("Tom & Jerry", #""Tom \u0026 Jerry""#),
        ("<!-- x -->", #""\u003c!-- x --\u003e""#),
        ("https://example.com/a", #""https://example.com/a""#),
        ("кириллица", #""кириллица""#),
    ])
    func scriptJSONEscapesWhatTheHTMLParserReads(input: String, expected: String) throws {
        #expect(try ScriptJSON.encode(input) == expected)
    }

    @Test func homeAndListingsCarryTheirCanonicalURL() async throws {
        try await withSite(stories: (1...3).map { story("s\($0)", title: "Story \($0)", day: $0) }, perPage: 2) { client, _ in
            #expect(try await client.get("/").body.contains("<link rel=\"canonical\" href=\"\(Self.site)/\">"))
            #expect(try await client.get("/sections/economy").body.contains("<link rel=\"canonical\" href=\"\(Self.site)/sections/economy\">"))
            // Query noise is dropped; the page number is kept, since page 2 lists other stories.
            let second = try await client.get("/countries/kazakhstan?page=2&utm_source=x")
            #expect(second.body.contains("<link rel=\"canonical\" href=\"\(Self.site)/countries/kazakhstan?page=2\">"))
        }
    }

    // MARK: API caching

    @Test func searchAnswersRevalidateAndAChangedStoryChangesTheTag() async throws {
        try await withSite(stories: [Self.saiga]) { client, store in
            let first = try await client.get("/api/v1/search?q=saiga")
            #expect(first.status == .ok)
            let etag = try #require(first.headers[.eTag])
            #expect(first.headers[.cacheControl] == "public, max-age=0, must-revalidate")
            #expect(first.headers[.contentType] == "application/json; charset=utf-8")

            let again = try await client.get("/api/v1/search?q=saiga", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.isEmpty)
            #expect(again.headers[.eTag] == etag)

            var edited = Self.saiga
            edited.title = "Saiga herds return to the steppe in record numbers"
            _ = try await store.save([edited])
            let changed = try await client.get("/api/v1/search?q=saiga", headers: [.ifNoneMatch: etag])
            #expect(changed.status == .ok)
            #expect(changed.body.contains("record numbers"))
            #expect(changed.headers[.eTag] != nil && changed.headers[.eTag] != etag)
        }
    }

    @Test func ratesAnswersRevalidate() async throws {
        try await withSite { client, _ in
            for path in ["/api/v1/rates", "/api/v1/rates/KZT/history"] {
                let first = try await client.get(path)
                #expect(first.status == .ok, "\(path)")
                let etag = try #require(first.headers[.eTag])
                #expect(first.headers[.cacheControl] == "public, max-age=0, must-revalidate")
                let again = try await client.get(path, headers: [.ifNoneMatch: etag])
                #expect(again.status == .notModified, "\(path)")
                #expect(again.body.isEmpty)
            }
        }
    }

    @Test func apiErrorsAreNotMadeCacheable() async throws {
        try await withSite { client, _ in
            let missing = try await client.get("/api/v1/rates/XXX/history")
            #expect(missing.status == .notFound)
            #expect(missing.headers[.eTag] == nil)
        }
    }

    // MARK: Compression

    @Test func gzipBodyUnpacksToTheSameHTML() async throws {
        try await withSite(stories: [Self.saiga]) { client, _ in
            let path = "/articles/saiga-herds-return-to-the-steppe"
            let plain = try await Self.fetch(client, path)
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.headers[.vary] == "Accept-Encoding")
            let packed = try await Self.fetch(client, path, headers: [.acceptEncoding: "gzip, deflate, br"])
            #expect(packed.status == .ok)
            #expect(packed.headers[.contentEncoding] == "gzip")
            #expect(packed.headers[.vary] == "Accept-Encoding")
            #expect(packed.headers[.contentLength] == String(packed.body.readableBytes))
            #expect(packed.body.readableBytes < plain.body.readableBytes)
            var compressed = packed.body
            let unpacked = try compressed.decompress(with: .gzip())
            #expect(String(buffer: unpacked) == String(buffer: plain.body))
            // The strong tag names the plain bytes; the gzipped bytes get the weak form of it.
            #expect(packed.headers[.eTag] == "W/" + (plain.headers[.eTag] ?? ""))
        }
    }

    @Test(arguments: [
        ("gzip", true), ("GZIP", true), ("deflate, gzip;q=0.5", true), ("x-gzip", true), ("*", true),
        ("gzip;q=0", false), ("gzip; q=0.000", false), ("*;q=0.5, gzip;q=0", false), ("identity", false),
        ("br, deflate", false), ("", false), ("*;q=0", false),
    ])
    func acceptEncodingIsReadWithItsQValues(header: String, allowed: Bool) {
        #expect(AcceptEncoding.allowsGzip(header) == allowed)
    }

    @Test(arguments: [
        ("text/html; charset=utf-8", true), ("  Text/HTML ;charset=utf-8", true), ("application/json", true),
        ("application/atom+xml; charset=utf-8", true), ("application/feed+json", true), ("\ttext/css\t", true),
        ("image/png", false), ("application/octet-stream", false), ("", false), (";", false), ("text/htmlx", false),
    ])
    func textAnswersAreCompressibleAndPicturesAreNot(contentType: String, compressible: Bool) {
        #expect(MediaTypes.isCompressible(contentType) == compressible)
    }

    @Test(arguments: [
        (Duration.zero, "0.0"), (.microseconds(49), "0.0"), (.microseconds(50), "0.1"), (.microseconds(1_249), "1.2"),
        (.microseconds(1_250), "1.3"), (.milliseconds(999), "999.0"), (.seconds(12) + .microseconds(345_678), "12345.7"),
        (.seconds(86_400 * 365), "31536000000.0"),
    ])
    func requestDurationsAreLoggedInMillisecondsToOneDecimal(duration: Duration, text: String) {
        #expect(RequestLogMiddleware.milliseconds(duration) == text)
    }

    @Test func noGzipUnlessTheClientAllowsIt() async throws {
        try await withSite(stories: [Self.saiga]) { client, _ in
            let path = "/articles/saiga-herds-return-to-the-steppe"
            for header in ["gzip;q=0", "identity", "br"] {
                let page = try await Self.fetch(client, path, headers: [.acceptEncoding: header])
                #expect(page.headers[.contentEncoding] == nil, "\(header)")
                #expect(String(buffer: page.body).hasPrefix("<!DOCTYPE html>"))
            }
            #expect(try await Self.fetch(client, path).headers[.contentEncoding] == nil)
        }
    }

    @Test func feedsAPIAndStylesheetAreCompressedToo() async throws {
        try await withSite(demo: true) { client, _ in
            for path in ["/feed.xml", "/api/v1/search?q=cotton", "/static/caravan.css"] {
                let answer = try await Self.fetch(client, path, headers: [.acceptEncoding: "gzip"])
                #expect(answer.status == .ok, "\(path)")
                #expect(answer.headers[.contentEncoding] == "gzip", "\(path)")
                var body = answer.body
                #expect(try body.decompress(with: .gzip()).readableBytes > answer.body.readableBytes, "\(path)")
            }
        }
    }

    @Test func smallBodiesAreSentAsTheyAre() async throws {
        try await withSite { client, _ in
            let rates = try await Self.fetch(client, "/api/v1/rates", headers: [.acceptEncoding: "gzip"])
            #expect(rates.body.readableBytes < 1024)
            #expect(rates.headers[.contentEncoding] == nil)
            #expect(rates.headers[.vary] == "Accept-Encoding")
        }
    }

    @Test func notModifiedHasNoBodyAndNoEncoding() async throws {
        try await withSite(stories: [Self.saiga]) { client, _ in
            let path = "/articles/saiga-herds-return-to-the-steppe"
            let gzip: HTTPFields = [.acceptEncoding: "gzip"]
            let first = try await Self.fetch(client, path, headers: gzip)
            let etag = try #require(first.headers[.eTag])
            let again = try await Self.fetch(client, path, headers: [.acceptEncoding: "gzip", .ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(again.headers[.contentEncoding] == nil)
            #expect(again.headers[.vary] == "Accept-Encoding")
        }
    }

    @Test func headIsNeverCompressed() async throws {
        try await withSite(stories: [Self.saiga]) { client, _ in
            let head = try await client.execute(
                uri: "/articles/saiga-herds-return-to-the-steppe", method: .head, headers: [.acceptEncoding: "gzip"]
            ) { $0 }
            #expect(head.headers[.contentEncoding] == nil)
        }
    }

    // MARK: Helpers

    private static func fetch(
        _ client: any TestClientProtocol, _ path: String, headers: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer) {
        try await client.execute(uri: path, method: .get, headers: headers) { ($0.status, $0.headers, $0.body) }
    }

    private static func head(of html: String) -> String {
        html.components(separatedBy: "</head>").first ?? ""
    }

    /// The JSON-LD object, parsed as a JSON reader would after the HTML parser hands it over.
    private static func jsonLD(in html: String) throws -> [String: Any] {
        let opening = "<script type=\"application/ld+json\">"
        let text = try #require(html.components(separatedBy: opening).dropFirst().first?.components(separatedBy: "</script>").first)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

@Suite("The page's language")
struct PageLanguageTests {
    @Test("a story's page declares the story's language; other pages are English")
    func storyLanguage() async throws {
        var russian = story("ru-1", title: "Тарифы на воду растут")
        russian.language = .ru
        try await withSite(stories: [russian, story("en-1", title: "Water tariffs rise")]) { client, _ in
            let ru = #"<html lang="ru">"#
            let en = #"<html lang="en">"#
            let russianPage = try await client.get("/articles/tarify-na-vodu-rastut").body
            let englishPage = try await client.get("/articles/water-tariffs-rise").body
            let home = try await client.get("/").body
            #expect(russianPage.contains(ru))
            #expect(englishPage.contains(en))
            #expect(home.contains(en))
        }
    }
}

@Suite("Last-Modified times")
struct AnswerStampTests {
    static let noon = Date(timeIntervalSince1970: 1_764_000_000)

    @Test("the same bytes keep their time; new bytes move it, never back and never within the same second", arguments: [
        // (previous fingerprint, previous time offset, new fingerprint, now offset, expected time offset)
        (nil, 0.0, "a", 0.4, 0.0),
        ("a", 0.0, "a", 30.0, 0.0),
        ("a", 0.0, "b", 30.7, 30.0),
        ("a", 0.0, "b", 0.9, 1.0),
        ("a", 5.0, "b", 2.0, 6.0),
    ] as [(String?, Double, String, Double, Double)])
    func next(previous: String?, previousAt: Double, fingerprint: String, now: Double, expected: Double) {
        let before = previous.map { AnswerStamp(fingerprint: $0, time: Self.noon.addingTimeInterval(previousAt)) }
        let stamp = AnswerStamp.next(after: before, fingerprint: fingerprint, now: Self.noon.addingTimeInterval(now))
        #expect(stamp.time == Self.noon.addingTimeInterval(expected))
        #expect(stamp.header == FeedDate.http(stamp.time))
    }

    @Test func neverSentLaterThanTheAnswersOwnDate() {
        // New bytes within the second of the old ones are stamped a second on, which is still ahead of the clock.
        let old = AnswerStamp(fingerprint: "a", time: Self.noon)
        let new = AnswerStamp.next(after: old, fingerprint: "b", now: Self.noon.addingTimeInterval(0.3))
        #expect(new.time == Self.noon.addingTimeInterval(1))
        #expect(new.header(sentAt: Self.noon.addingTimeInterval(0.5)) == FeedDate.http(Self.noon))
        #expect(new.header(sentAt: Self.noon.addingTimeInterval(1.2)) == FeedDate.http(Self.noon.addingTimeInterval(1)))
        #expect(new.header(sentAt: Self.noon.addingTimeInterval(90)) == new.header)
    }
}
