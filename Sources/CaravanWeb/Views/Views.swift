import CaravanCore
import Foundation

// View models: plain values that templates read. Templates never compute; these carry finished strings.

/// A link with its text.
struct LinkView: Sendable {
    let name: String
    let url: String
}

/// The masthead, navigation and footer shared by every page.
struct Chrome: Sendable {
    let siteName: String
    let tagline: String
    let dateLine: String
    let dateISO: String
    let stylesheet: String
    let countries: [NavigationItem]
    let sections: [NavigationItem]
    /// `sections` as the footer's list items and as the search form's choices with none chosen, already escaped.
    let sectionLinksHTML: String
    let sectionOptionsHTML: String
    let searchQuery: String
    let ticker: TickerView?
    let year: String
    /// The site's own feeds, announced in every page's head.
    let feeds: [FeedLinkView] = FeedLinkView.all(for: .latest, name: "Latest stories")
    let links = SiteLinks.all

    struct NavigationItem: Sendable {
        let name: String
        /// The country's or section's slug, for forms that filter by it.
        let slug: String
        let url: String
        let current: Bool
    }
}

/// The addresses the reader's templates link to, printed from the route table: templates hold none of their own.
struct SiteLinks: Sendable {
    let home = SiteRoute.home.path
    let search = Addresses.search.path()
    let rates = SiteRoute.rates.path

    static let all = SiteLinks()
}

/// The rates strip in the masthead.
public struct TickerView: Sendable {
    let dateText: String
    let items: [Item]
    let ratesURL: String
    let stale: Bool

    struct Item: Sendable {
        let currency: String
        let country: String
        let value: String
        let change: String
        let direction: String
        let arrow: String
        let label: String
        let stale: Bool
        let cross: String?
    }
}

/// A `<link rel="alternate">` to one of a page's feeds.
struct FeedLinkView: Sendable {
    let type: String
    let title: String
    let url: String

    /// The listing's feed in every format.
    static func all(for listing: Listing, name: String) -> [FeedLinkView] {
        FeedFormat.allCases.map {
            FeedLinkView(type: $0.mediaType, title: "\(name) (\($0.label))", url: FeedRoute.listing(listing, $0).path)
        }
    }
}

/// A story in a list: title, date and excerpt.
struct TeaserView: Sendable {
    let title: String
    /// Title with `<mark>` around matched words, already escaped (search results only).
    let titleHTML: String?
    let url: String
    let excerpt: String
    /// Excerpt with `<mark>` around matched words, already escaped (search results only).
    let excerptHTML: String?
    let dateText: String?
    let dateISO: String?
    let section: LinkView?
    let countries: [LinkView]

    init(_ teaser: Teaser, dates: DateLine, titleHTML: String? = nil, excerptHTML: String? = nil) {
        title = teaser.title.isEmpty ? "(untitled)" : teaser.title
        self.titleHTML = titleHTML
        url = SiteRoute.article(slug: teaser.slug).path
        excerpt = teaser.excerpt
        self.excerptHTML = excerptHTML
        dateText = teaser.published.map(dates.shortDay)
        dateISO = teaser.published.map(DateLine.iso8601)
        section = teaser.section.map { LinkView(name: $0.name, url: SiteRoute.listing(.section(slug: $0.slug)).path) }
        countries = teaser.countries.map { LinkView(name: $0.name, url: SiteRoute.listing(.country($0)).path) }
    }
}

/// "Viewing results 1–10 of 23", with the numbers machines read.
struct RangeView: Sendable {
    let first: Int
    let last: Int
    let total: Int
    let text: String

    init(_ range: ResultRange) {
        first = range.first
        last = range.last
        total = range.total
        text = range.sentence
    }
}

/// Previous / numbered / next links under a listing.
struct PaginationView: Sendable {
    let previous: String?
    let next: String?
    let pages: [PageLink]
    let lastPage: Int

    struct PageLink: Sendable {
        let number: String
        let url: String?
        let current: Bool
        let gap: Bool
    }

    /// nil when everything fits on one page.
    init?(_ range: ResultRange, link: (Int) -> String) {
        guard range.pages > 1 else { return nil }
        previous = range.hasPrevious ? link(range.page - 1) : nil
        next = range.hasNext ? link(range.page + 1) : nil
        lastPage = range.pages
        var pages: [PageLink] = []
        var previousShown = 0
        for number in PageWindow.numbers(current: range.page, pages: range.pages) {
            if number > previousShown + 1 { pages.append(PageLink(number: "…", url: nil, current: false, gap: true)) }
            pages.append(
                PageLink(number: String(number), url: number == range.page ? nil : link(number), current: number == range.page, gap: false))
            previousShown = number
        }
        self.pages = pages
    }
}

/// Which page numbers to show: the first, the last, and two either side of the current one.
enum PageWindow {
    static func numbers(current: Int, pages: Int) -> [Int] {
        let near = max(1, current - 2)...min(pages, max(1, current + 2))
        return Array(Set([1, pages] + Array(near))).filter { $0 >= 1 && $0 <= pages }.sorted()
    }
}

struct HomePage: Sendable {
    let chrome: Chrome
    let title: String
    /// Absolute, from the configured site address; the layout places it.
    let canonicalURL: String
    let lead: TeaserView?
    let latest: [TeaserView]
    let countryBlocks: [CountryBlock]
    let moreURL: String?

    struct CountryBlock: Sendable {
        let name: String
        /// The fragment that ties the heading to its section for assistive technology.
        let anchor: String
        let url: String
        let teasers: [TeaserView]
    }
}

struct ArticlePage: Sendable {
    let chrome: Chrome
    let title: String
    let canonicalURL: String
    let meta: ArticleMetadata
    let headline: String
    let standfirst: String
    let dateText: String?
    let dateISO: String?
    let updatedText: String?
    let updatedISO: String?
    let author: LinkView?
    let section: LinkView?
    let countries: [LinkView]
    let tags: [LinkView]
    let bodyHTML: String
    let image: StoryImageView?
    let related: [TeaserView]
    // Stored, not computed: templates read values through reflection, which sees stored properties only.
    let hasCountries: Bool
    let hasTags: Bool
    let hasRelated: Bool
}

/// A story's featured image: a library photograph's `<picture>`, or an image at an address typed in the newsroom.
struct StoryImageView: Sendable {
    let url: String
    let picture: String?
    let caption: String
    let credit: String
}

struct ListingPageView: Sendable {
    let chrome: Chrome
    let title: String
    let canonicalURL: String
    let kind: String
    let heading: String
    let range: RangeView
    let teasers: [TeaserView]
    let pagination: PaginationView?
    /// This listing's own feeds (none for the archive, whose feed is the site's).
    let feeds: [FeedLinkView]
}

struct NotFoundPage: Sendable {
    let chrome: Chrome
    let title: String
    let message: String
    let lastPage: LinkView?
}

struct ErrorPage: Sendable {
    let chrome: Chrome
    let title: String
    let message: String
}

/// The sections as the footer's list items.
struct SectionList: Sendable {
    let sections: [Chrome.NavigationItem]
}

/// The sections as a form's choices, one of them perhaps chosen.
struct SectionChoices: Sendable {
    let options: [SearchPage.Option]

    init(sections: [Chrome.NavigationItem], chosen: String?) {
        options = sections.map { SearchPage.Option(value: $0.slug, name: $0.name, selected: $0.slug == chosen) }
    }
}
