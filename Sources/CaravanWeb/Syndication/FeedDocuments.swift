import Foundation

extension Feed {
    /// The feed written in one format, as the bytes to send.
    func document(_ format: FeedFormat) throws -> Data {
        switch format {
        case .rss: Data(rss().utf8)
        case .atom: Data(atom().utf8)
        case .json: try json()
        }
    }

    /// RSS 2.0, with `content:encoded` for the whole story and `dc:creator` for the byline (RSS's `author` wants an email).
    func rss() -> String {
        var xml = XMLWriter()
        xml.start("rss", [
            ("version", "2.0"), ("xmlns:atom", "http://www.w3.org/2005/Atom"),
            ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"), ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
        ])
        xml.start("channel")
        xml.element("title", title)
        xml.element("link", pageURL)
        xml.element("description", description)
        if let language { xml.element("language", language) }
        xml.element("lastBuildDate", FeedDate.rfc822(updated))
        xml.element("generator", "Caravan")
        xml.empty("atom:link", [("href", urls[.rss] ?? pageURL), ("rel", "self"), ("type", FeedFormat.rss.mediaType)])
        for item in items {
            xml.start("item")
            xml.element("title", item.title)
            xml.element("link", item.url)
            xml.element("guid", item.id, [("isPermaLink", "false")])
            xml.element("pubDate", FeedDate.rfc822(item.published))
            if let author = item.author { xml.element("dc:creator", author.name) }
            for category in item.categories { xml.element("category", category) }
            xml.element("description", item.summary)
            if let html = item.contentHTML { xml.element("content:encoded", html) }
            if let image = item.image {
                xml.empty("enclosure", [("url", image.url), ("length", String(image.length)), ("type", image.type)])
            }
            xml.end()
        }
        xml.end()
        xml.end()
        return xml.document
    }

    /// Atom 1.0 (RFC 4287); the site is the feed's author so that entries without a byline stay valid.
    func atom() -> String {
        var xml = XMLWriter()
        var root: XMLWriter.Attributes = [("xmlns", "http://www.w3.org/2005/Atom")]
        if let language { root.append(("xml:lang", language)) }
        xml.start("feed", root)
        xml.element("id", urls[.atom] ?? pageURL)
        xml.element("title", title, [("type", "text")])
        xml.element("subtitle", description, [("type", "text")])
        xml.element("updated", FeedDate.rfc3339(updated))
        xml.empty("link", [("rel", "self"), ("type", FeedFormat.atom.mediaType), ("href", urls[.atom] ?? pageURL)])
        xml.empty("link", [("rel", "alternate"), ("type", "text/html"), ("href", pageURL)])
        xml.start("author")
        xml.element("name", siteName)
        xml.element("uri", siteURL)
        xml.end()
        xml.element("generator", "Caravan")
        for item in items {
            xml.start("entry", [("xml:lang", item.language)])
            xml.element("id", item.id)
            xml.element("title", item.title, [("type", "text")])
            xml.empty("link", [("rel", "alternate"), ("type", "text/html"), ("href", item.url)])
            xml.element("published", FeedDate.rfc3339(item.published))
            xml.element("updated", FeedDate.rfc3339(item.updated))
            if let author = item.author {
                xml.start("author")
                xml.element("name", author.name)
                xml.element("uri", author.url)
                xml.end()
            }
            for category in item.categories { xml.empty("category", [("term", category)]) }
            xml.element("summary", item.summary, [("type", "text")])
            if let html = item.contentHTML { xml.element("content", html, [("type", "html")]) }
            if let image = item.image {
                xml.empty("link", [("rel", "enclosure"), ("type", image.type), ("length", String(image.length)), ("href", image.url)])
            }
            xml.end()
        }
        xml.end()
        return xml.document
    }

    /// JSON Feed 1.1 (https://jsonfeed.org/version/1.1).
    func json() throws -> Data {
        let document = JSONFeedDocument(
            title: title, homePageURL: pageURL, feedURL: urls[.json] ?? pageURL, description: description,
            language: language, authors: [.init(name: siteName, url: siteURL)],
            items: items.map { item in
                JSONFeedDocument.Item(
                    id: item.id, url: item.url, title: item.title,
                    contentHTML: item.contentHTML, contentText: item.contentHTML == nil ? item.summary : nil,
                    summary: item.summary, datePublished: FeedDate.rfc3339(item.published),
                    dateModified: FeedDate.rfc3339(item.updated),
                    authors: item.author.map { [.init(name: $0.name, url: $0.url)] }, tags: item.categories,
                    language: item.language, image: item.image?.url)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return try encoder.encode(document)
    }
}

/// The JSON Feed 1.1 shape; optional members are left out rather than written as null.
struct JSONFeedDocument: Codable, Sendable {
    var version = "https://jsonfeed.org/version/1.1"
    let title: String
    let homePageURL: String
    let feedURL: String
    let description: String
    let language: String?
    let authors: [Author]
    let items: [Item]

    struct Author: Codable, Sendable {
        let name: String
        let url: String?
    }

    struct Item: Codable, Sendable {
        let id: String
        let url: String
        let title: String
        let contentHTML: String?
        let contentText: String?
        let summary: String
        let datePublished: String
        let dateModified: String
        let authors: [Author]?
        let tags: [String]
        let language: String
        let image: String?

        enum CodingKeys: String, CodingKey {
            case id, url, title, summary, authors, tags, language, image
            case contentHTML = "content_html", contentText = "content_text"
            case datePublished = "date_published", dateModified = "date_modified"
        }
    }

    enum CodingKeys: String, CodingKey {
        case version, title, description, language, authors, items
        case homePageURL = "home_page_url", feedURL = "feed_url"
    }
}
