import CaravanCore
import CaravanSearch
import CaravanStorage
import Foundation
import Hummingbird

/// The archive search page.
struct SearchController: Sendable {
    let index: any SearchIndex
    let pages: PageResponder
    let configuration: SiteConfiguration

    func addRoutes(to router: RouteTable) {
        router.get(Addresses.search, use: search)
    }

    @Sendable func search(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let search = try SearchParameters.request(from: request, configuration: configuration)
        return try await pages.respond(to: request) { chrome in
            let results = try await index.search(search)
            if results.range.isPastEnd {
                let last = results.range.pages
                return .notFound(
                    "This search has \(results.range.total) \(results.range.total == 1 ? "result" : "results") on \(last) \(last == 1 ? "page" : "pages"); there is no page \(search.page).",
                    lastPage: LinkView(name: "page \(last)", url: Self.link(search, page: last)))
            }
            // The masthead already lists the sections (read once per content version): the filter reuses them.
            // The form's section choices are rendered once per version; only a chosen section needs them anew.
            let sectionOptionsHTML =
                search.section == nil
                ? chrome.sectionOptionsHTML
                : try pages.renderer.render(
                    SectionChoices(sections: chrome.sections, chosen: search.section), template: "section-options")
            let view = SearchPage(
                search: search, results: results, chrome: chrome, sectionOptionsHTML: sectionOptionsHTML,
                configuration: configuration)
            return .page(try pages.renderer.render(view, template: "search"))
        }
    }

    /// The same search on another page (or with another filter), as a link.
    static func link(_ search: SearchRequest, page: Int? = nil, country: Country?? = nil, query: String? = nil) -> String {
        var items: [(String, String)] = [("q", query ?? search.text)]
        if let country = country ?? search.country { items.append(("country", country.code)) }
        if let section = search.section { items.append(("section", section)) }
        if let language = search.language { items.append(("language", language.rawValue)) }
        if let from = search.from { items.append(("from", String(DateLine.iso8601(from).prefix(10)))) }
        if let to = search.to { items.append(("to", String(DateLine.iso8601(to).prefix(10)))) }
        if search.sort != .relevance { items.append(("sort", search.sort.rawValue)) }
        if search.perPage != 10 { items.append(("per_page", String(search.perPage))) }
        let number = page ?? 1
        if number > 1 { items.append(("page", String(number))) }
        return Addresses.search.path() + "?" + FormEncoding.query(items)
    }
}

/// What the search page shows.
struct SearchPage: Sendable {
    let chrome: Chrome
    let title: String
    let query: String
    let hasQuery: Bool
    let range: RangeView
    let teasers: [TeaserView]
    let pagination: PaginationView?
    let suggestion: LinkView?
    let message: String?
    let countryOptions: [Option]
    /// The section choices as `<option>` elements, already escaped.
    let sectionOptionsHTML: String
    let sortNewest: Bool
    let from: String
    let to: String
    let countryFacets: [Facet]
    let yearFacets: [Facet]
    let hasFacets: Bool

    struct Option: Sendable {
        let value: String
        let name: String
        let selected: Bool
    }

    struct Facet: Sendable {
        let name: String
        let count: Int
        let url: String?
    }

    init(
        search: SearchRequest, results: SearchResults, chrome: Chrome, sectionOptionsHTML: String,
        configuration: SiteConfiguration
    ) {
        self.chrome = chrome
        let shown = results.query.normalizedText
        query = search.text
        hasQuery = !search.text.trimmingCharacters(in: .whitespaces).isEmpty
        title = hasQuery ? "Search: \(search.text.prefix(80)) | \(configuration.siteName)" : "Search | \(configuration.siteName)"
        range = RangeView(results.range)
        let dates = DateLine(timeZone: configuration.timeZone)
        teasers = results.hits.map { TeaserView($0.teaser, dates: dates, titleHTML: $0.titleHTML, excerptHTML: $0.snippetHTML) }
        pagination = PaginationView(results.range) { SearchController.link(search, page: $0) }
        suggestion = results.suggestion.map { LinkView(name: $0, url: SearchController.link(search, query: $0)) }
        switch results.emptyReason {
        case .blank?: message = "Type a word or two to search the archive."
        case .nothingSearchable?: message = "Your search has no words we can look for. Try letters or numbers."
        case .onlyExclusions?: message = "A search needs at least one word to look for, not only words to leave out."
        case nil:
            message = results.range.total == 0
                ? "No stories match “\(shown)”\(search.country != nil || search.section != nil || search.from != nil || search.to != nil ? " with these filters" : "")."
                : nil
        }
        countryOptions = Country.allCases.map { Option(value: $0.code, name: $0.name, selected: $0 == search.country) }
        self.sectionOptionsHTML = sectionOptionsHTML
        sortNewest = search.sort == .newest
        from = search.from.map { String(DateLine.iso8601($0.addingTimeInterval(TimeInterval(configuration.timeZone.secondsFromGMT(for: $0)))).prefix(10)) } ?? ""
        to = search.to.map { String(DateLine.iso8601($0.addingTimeInterval(TimeInterval(configuration.timeZone.secondsFromGMT(for: $0)))).prefix(10)) } ?? ""
        countryFacets = Country.allCases.compactMap { country in
            results.countryFacets[country].map {
                Facet(name: country.name, count: $0, url: country == search.country ? nil : SearchController.link(search, country: .some(country)))
            }
        }
        yearFacets = results.yearFacets.sorted { $0.key > $1.key }.map { Facet(name: String($0.key), count: $0.value, url: nil) }
        hasFacets = !countryFacets.isEmpty || !yearFacets.isEmpty
    }
}
