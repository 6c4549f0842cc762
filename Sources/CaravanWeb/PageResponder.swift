import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird

/// What a page handler decided to show.
enum PageOutcome: Sendable {
    case page(String)
    case notFound(String, lastPage: LinkView? = nil)
    /// The page lives at another address now (a story whose slug changed).
    case moved(String)
}

/// Turns rendered pages into responses: the shared chrome, the page cache, ETags and the helpful 404.
struct PageResponder: Sendable {
    let store: any ArticleStore
    let renderer: PageRenderer
    let cache: PageCache
    let configuration: SiteConfiguration
    let ticker: any TickerSource
    let stylesheetURL: String
    let clock: @Sendable () -> Date

    func respond(
        to request: Request, build: (Chrome) async throws -> PageOutcome
    ) async throws -> Response {
        let version = try await store.contentVersion()
        let now = clock()
        // The date line changes at midnight in the newsroom: the day number keys the cache without building a calendar.
        let day = Self.dayKey(now, configuration.timeZone)
        let key = request.uri.description
        if let entry = cache.entry(for: key, version: version, day: day) {
            return Self.response(entry, request: request)
        }
        let chrome = try await makeChrome(for: request, now: now, version: version, day: day)
        switch try await build(chrome) {
        case .page(let html):
            let entry = cache.store(PageCache.Entry(version: version, day: day, body: ByteBuffer(string: html)), for: key)
            return Self.response(entry, request: request)
        case .moved(let path):
            return Response(status: .movedPermanently, headers: [.location: path, .cacheControl: "public, max-age=300"])
        case .notFound(let message, let lastPage):
            let view = NotFoundPage(chrome: chrome, title: "Page not found | \(configuration.siteName)", message: message, lastPage: lastPage)
            return Self.html(try renderer.render(view, template: "not-found"), status: .notFound)
        }
    }

    /// The 404 or 400 page for a request no handler answered, or answered with an error.
    func errorPage(for request: Request, status: HTTPResponse.Status, message: String) async -> Response {
        do {
            let now = clock()
            let chrome = try await makeChrome(
                for: request, now: now, version: try await store.contentVersion(), day: Self.dayKey(now, configuration.timeZone))
            if status == .notFound {
                let view = NotFoundPage(chrome: chrome, title: "Page not found | \(configuration.siteName)", message: message, lastPage: nil)
                return Self.html(try renderer.render(view, template: "not-found"), status: status)
            }
            let title = status.code < 500 ? "That request could not be answered" : "Something went wrong on our side"
            let view = ErrorPage(chrome: chrome, title: title, message: message)
            return Self.html(try renderer.render(view, template: "error"), status: status)
        } catch {
            // The store itself is failing: a plain page still beats a blank one.
            return Self.html("<!DOCTYPE html><title>\(status.code)</title><p>\(status.reasonPhrase)</p>", status: status)
        }
    }

    /// The newsroom's day as a number: it keys caches without building a calendar.
    static func dayKey(_ now: Date, _ timeZone: TimeZone) -> String {
        String(Int((now.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: now))) / 86_400))
    }

    /// The masthead's sections and rates, which change only with the content or the day: read once for both.
    private func masthead(now: Date, version: Int64, day: String) async throws -> PageCache.Masthead {
        if let known = cache.masthead(version: version, day: day) { return known }
        let items = try await store.sections().map(Self.navigationItem)
        let masthead = PageCache.Masthead(
            version: version, day: day, sections: items, ticker: await ticker.ticker(now: now),
            sectionLinksHTML: try renderer.render(SectionList(sections: items), template: "section-links"),
            sectionOptionsHTML: try renderer.render(
                SectionChoices(sections: items, chosen: nil), template: "section-options"))
        cache.remember(masthead)
        return masthead
    }

    static func navigationItem(_ section: Section) -> Chrome.NavigationItem {
        Chrome.NavigationItem(
            name: section.name, slug: section.slug, url: SiteRoute.listing(.section(slug: section.slug)).path,
            current: false)
    }

    private func makeChrome(for request: Request, now: Date, version: Int64, day: String) async throws -> Chrome {
        let dates = DateLine(timeZone: configuration.timeZone)
        let path = request.uri.path
        let masthead = try await masthead(now: now, version: version, day: day)
        return Chrome(
            siteName: configuration.siteName, tagline: configuration.tagline, dateLine: dates.day(now),
            dateISO: DateLine.iso8601(now), stylesheet: stylesheetURL,
            countries: Country.allCases.map { country in
                let url = SiteRoute.listing(.country(country)).path
                return Chrome.NavigationItem(name: country.name, slug: country.slug, url: url, current: path == url)
            },
            sections: masthead.sections,
            sectionLinksHTML: masthead.sectionLinksHTML, sectionOptionsHTML: masthead.sectionOptionsHTML,
            searchQuery: request.form["q"] ?? "",
            ticker: masthead.ticker,
            year: String(Calendar(identifier: .gregorian).component(.year, from: now)))
    }

    static func response(_ entry: PageCache.Entry, request: Request) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .eTag: entry.etag,
            // Revalidate every time: an edit must show on the next request, and a 304 costs little.
            .cacheControl: "public, max-age=0, must-revalidate",
        ]
        headers[.lastModified] = entry.modified.header(sentAt: Date())
        if ConditionalRequest.isNotModified(request, etag: entry.etag, lastModified: entry.modified.time) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: entry.body))
    }

    static func html(_ html: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Where the masthead's rates strip comes from.
public protocol TickerSource: Sendable {
    func ticker(now: Date) async -> TickerView?
}
