import CaravanCore
import Foundation

/// What crawlers and social networks read in a story's head: OpenGraph, Twitter card, JSON-LD and language links.
struct ArticleMetadata: Sendable {
    let canonicalURL: String
    let title: String
    let description: String
    let siteName: String
    let publishedISO: String?
    let modifiedISO: String
    let section: String?
    let tags: [String]
    let alternates: [AlternateLink]
    /// The story's language, for `<html lang>`: a Russian story read aloud in English sounds wrong.
    let language: String
    /// The featured image's address, for og:image and a large Twitter card.
    let imageURL: String?
    let twitterCard: String
    /// The `NewsArticle` object, already safe to place inside a script element.
    let jsonLD: String

    /// A `<link rel="alternate" hreflang>` to an edition of the page.
    struct AlternateLink: Sendable {
        let hreflang: String
        let url: String
    }

    /// `imageURL` is the featured photograph's 1200-wide JPEG, when it comes from the media library.
    init(_ article: Article, configuration: SiteConfiguration, imageURL libraryImage: String? = nil) throws {
        canonicalURL = configuration.siteURL + SiteRoute.article(slug: article.slug).path
        title = article.title.isEmpty ? "Story" : article.title
        description = article.standfirst.isEmpty ? article.excerpt : article.standfirst
        siteName = configuration.siteName
        publishedISO = article.published.map(DateLine.iso8601)
        modifiedISO = DateLine.iso8601(article.updated)
        section = article.section?.name
        tags = article.tags.map(\.name)
        language = article.language.rawValue
        imageURL = libraryImage ?? article.image.map(\.url).flatMap { $0.isEmpty ? nil : $0 }
        twitterCard = imageURL == nil ? "summary" : "summary_large_image"
        // One edition today; translations join this list when the Russian edition links its stories.
        alternates = [
            AlternateLink(hreflang: article.language.rawValue, url: canonicalURL),
            AlternateLink(hreflang: "x-default", url: canonicalURL),
        ]
        let object = NewsArticleObject(
            headline: title, description: description.isEmpty ? nil : description, datePublished: publishedISO,
            dateModified: modifiedISO,
            author: article.author.map {
                .init(type: "Person", name: $0.name, url: configuration.siteURL + SiteRoute.listing(.author(slug: $0.slug)).path)
            },
            articleSection: section, keywords: tags.isEmpty ? nil : tags,
            publisher: .init(type: "Organization", name: configuration.siteName, url: configuration.siteURL + SiteRoute.home.path),
            mainEntityOfPage: .init(id: canonicalURL), url: canonicalURL, inLanguage: article.language.rawValue,
            image: imageURL.map { [$0] })
        jsonLD = try ScriptJSON.encode(object)
    }
}

/// schema.org's NewsArticle, the fields search engines read for a story.
private struct NewsArticleObject: Encodable {
    struct Thing: Encodable {
        let type: String
        let name: String
        let url: String
        enum CodingKeys: String, CodingKey { case type = "@type", name, url }
    }

    struct WebPage: Encodable {
        let type = "WebPage"
        let id: String
        enum CodingKeys: String, CodingKey { case type = "@type", id = "@id" }
    }

    let context = "https://schema.org"
    let type = "NewsArticle"
    let headline: String
    let description: String?
    let datePublished: String?
    let dateModified: String
    let author: Thing?
    let articleSection: String?
    let keywords: [String]?
    let publisher: Thing
    let mainEntityOfPage: WebPage
    let url: String
    let inLanguage: String
    let image: [String]?

    enum CodingKeys: String, CodingKey {
        case context = "@context", type = "@type", headline, description, datePublished, dateModified, author
        case articleSection, keywords, publisher, mainEntityOfPage, url, inLanguage, image
    }
}

/// JSON for a `<script>` element: the HTML parser ends a script at `</script`, whatever JSON thinks of the quotes around it.
enum ScriptJSON {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        // These three only occur inside JSON strings, where a \u escape means the same character.
        return json.replacingOccurrences(of: "&", with: "\\u0026")
            .replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
    }
}
