import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird

/// The reader's site: home, story pages and listings.
struct SiteController: Sendable {
    let store: any ArticleStore
    let pages: PageResponder
    let configuration: SiteConfiguration
    /// Where stories whose address changed now live; nil when there is no newsroom.
    var redirects: (any NewsroomStore)? = nil
    /// The media library, for the photographs a story shows; nil when the site has none.
    var media: (any MediaStore)? = nil

    func addRoutes(to router: RouteTable) {
        router.get(Addresses.home, use: home)
        router.get(Addresses.article, use: article)
        router.get(Addresses.country, use: country)
        router.get(Addresses.section) { request, context in
            try await listing(.section(slug: context.parameters.require("slug")), kind: "Section", request: request)
        }
        router.get(Addresses.tag) { request, context in
            try await listing(.tag(slug: context.parameters.require("slug")), kind: "Tag", request: request)
        }
        router.get(Addresses.author) { request, context in
            try await listing(.author(slug: context.parameters.require("slug")), kind: "Author", request: request)
        }
    }

    @Sendable func home(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let page = try RequestValues.page(request)
        if page > 1 { return try await listing(.latest, kind: "Archive", request: request) }
        return try await pages.respond(to: request) { chrome in
            guard let latest = try await store.listing(.latest, page: 1, perPage: 11) else { throw HTTPError(.notFound) }
            let blocks = try await store.latestByCountry(limit: 4)
            let dates = DateLine(timeZone: configuration.timeZone)
            let teasers = latest.teasers.map { TeaserView($0, dates: dates) }
            let view = HomePage(
                chrome: chrome, title: "\(configuration.siteName): \(configuration.tagline)",
                canonicalURL: configuration.siteURL + SiteRoute.home.path, lead: teasers.first,
                latest: Array(teasers.dropFirst()),
                countryBlocks: Country.allCases.compactMap { country in
                    blocks[country].map {
                        HomePage.CountryBlock(
                            name: country.name, anchor: country.slug, url: SiteRoute.listing(.country(country)).path,
                            teasers: $0.map { TeaserView($0, dates: dates) })
                    }
                },
                moreURL: latest.range.hasNext ? SiteRoute.listing(.latest, page: 2).path : nil)
            return .page(try pages.renderer.render(view, template: "home"))
        }
    }

    @Sendable func article(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        return try await pages.respond(to: request) { chrome in
            guard let article = try await store.article(slug: slug) else {
                if let current = try await redirects?.redirect(fromSlug: slug) {
                    return .moved(SiteRoute.article(slug: current).path)
                }
                return .notFound("There is no story at this address. It may have been moved or taken down.")
            }
            let related = try await store.related(to: article, limit: 3)
            let dates = DateLine(timeZone: configuration.timeZone)
            // A correction shows its time; the few seconds between creating and publishing do not count.
            let corrected = article.published.map { article.updated.timeIntervalSince($0) > 60 } ?? false
            let countries = article.countries.map { LinkView(name: $0.name, url: SiteRoute.listing(.country($0)).path) }
            let tags = article.tags.map { LinkView(name: $0.name, url: SiteRoute.listing(.tag(slug: $0.slug)).path) }
            let relatedViews = related.map { TeaserView($0, dates: dates) }
            let (featured, bodyHTML) = try await pictures(of: article)
            let meta = try ArticleMetadata(
                article, configuration: configuration,
                imageURL: featured?.item.jpeg(atLeast: 1200).map { configuration.siteURL + ResponsivePicture.path(featured!.item, $0) })
            let view = ArticlePage(
                chrome: chrome, title: "\(article.title.isEmpty ? "Story" : article.title) | \(configuration.siteName)",
                canonicalURL: meta.canonicalURL, meta: meta,
                headline: article.title, standfirst: article.standfirst,
                dateText: article.published.map(dates.dayAndTime), dateISO: article.published.map(DateLine.iso8601),
                updatedText: corrected ? dates.dayAndTime(article.updated) : nil,
                updatedISO: corrected ? DateLine.iso8601(article.updated) : nil,
                author: article.author.map { LinkView(name: $0.name, url: SiteRoute.listing(.author(slug: $0.slug)).path) },
                section: article.section.map { LinkView(name: $0.name, url: SiteRoute.listing(.section(slug: $0.slug)).path) },
                countries: countries, tags: tags, bodyHTML: bodyHTML,
                image: featured?.view ?? article.image.flatMap { $0.url.isEmpty ? nil : StoryImageView(url: $0.url, picture: nil, caption: $0.caption, credit: $0.credit) },
                related: relatedViews,
                hasCountries: !countries.isEmpty, hasTags: !tags.isEmpty, hasRelated: !relatedViews.isEmpty)
            return .page(try pages.renderer.render(view, template: "article"))
        }
    }

    /// The story's featured photograph from the library, and its body with every library image at every width.
    private func pictures(of article: Article) async throws -> (featured: (item: MediaItem, view: StoryImageView)?, body: String) {
        guard let media else { return (nil, article.bodyHTML) }
        var featured: (MediaItem, StoryImageView)?
        if let image = article.image, let id = image.media, let item = try await media.item(id: id) {
            let picture = ResponsivePicture.html(item, sizes: ResponsivePicture.storySizes, lazy: false)
            featured = (
                item,
                StoryImageView(
                    url: "", picture: picture, caption: image.caption.isEmpty ? item.caption : image.caption,
                    credit: image.credit.isEmpty ? item.credit : image.credit)
            )
        }
        let files = ResponsivePicture.referencedFiles(in: article.bodyHTML)
        guard !files.isEmpty else { return (featured, article.bodyHTML) }
        let items = try await media.items(files: files)
        let body = ResponsivePicture.body(article.bodyHTML, items: Dictionary(items.map { ($0.file, $0) }, uniquingKeysWith: { a, _ in a }))
        return (featured, body)
    }

    @Sendable func country(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard let country = Country(slug: slug) ?? Country(code: slug) else {
            return try await pages.respond(to: request) { _ in
                .notFound("We do not cover a country called “\(slug)”. Try one of the countries in the menu.")
            }
        }
        return try await listing(.country(country), kind: "Country", request: request)
    }

    func listing(_ listing: Listing, kind: String, request: Request) async throws -> Response {
        let page = try RequestValues.page(request)
        return try await pages.respond(to: request) { chrome in
            guard let result = try await store.listing(listing, page: page, perPage: configuration.perPage) else {
                return .notFound("There is no \(kind.lowercased()) at this address.")
            }
            let heading = result.name ?? "All stories"
            if result.range.isPastEnd {
                let last = result.range.pages
                return .notFound(
                    "\(heading) has \(result.range.total) \(result.range.total == 1 ? "story" : "stories") on \(last) \(last == 1 ? "page" : "pages"); there is no page \(page).",
                    lastPage: LinkView(name: "page \(last)", url: SiteRoute.listing(listing, page: last).path))
            }
            let dates = DateLine(timeZone: configuration.timeZone)
            let view = ListingPageView(
                chrome: chrome,
                title: "\(heading)\(page > 1 ? ", page \(page)" : "") | \(configuration.siteName)",
                // Each page of a listing is its own canonical page: page 2 lists other stories than page 1.
                canonicalURL: configuration.siteURL + SiteRoute.listing(listing, page: page).path,
                kind: kind, heading: heading, range: RangeView(result.range),
                teasers: result.teasers.map { TeaserView($0, dates: dates) },
                pagination: PaginationView(result.range) { SiteRoute.listing(listing, page: $0).path },
                feeds: listing == .latest ? [] : FeedLinkView.all(for: listing, name: heading))
            return .page(try pages.renderer.render(view, template: "listing"))
        }
    }
}

/// Query values every page reads, checked once.
enum RequestValues {
    /// `?page=N`: absent means 1; anything but a whole number from 1 is a bad request.
    static func page(_ request: Request) throws -> Int {
        try page(request.form)
    }

    static func page(_ form: FormQuery) throws -> Int {
        guard let text = form["page"], !text.isEmpty else { return 1 }
        guard let page = Int(text), page >= 1 else {
            throw HTTPError(.badRequest, message: "The page number must be a whole number from 1, not “\(text.prefix(20))”.")
        }
        return page
    }
}
