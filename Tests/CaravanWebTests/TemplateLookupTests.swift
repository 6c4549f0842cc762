import CaravanCore
import Foundation
import Mustache
import Testing

@testable import CaravanWeb

/// The hand-written template lookups must answer every field a Mirror would, with the same value, and nil where the
/// field is an empty optional: a field left out of a switch would silently print nothing on the page.
@Suite struct TemplateLookupTests {
    static func expectSameAsReflection(_ view: some MustacheParent, sourceLocation: SourceLocation = #_sourceLocation) {
        let mirror = Mirror(reflecting: view)
        #expect(!mirror.children.isEmpty, sourceLocation: sourceLocation)
        for child in mirror.children {
            guard let label = child.label else { continue }
            let reflected: Any? =
                Mirror(reflecting: child.value).displayStyle == .optional
                ? Mirror(reflecting: child.value).children.first?.value : child.value
            let looked = view.child(named: label)
            #expect(
                looked.map { String(describing: $0) } == reflected.map { String(describing: $0) },
                "\(type(of: view)).\(label)", sourceLocation: sourceLocation)
        }
        #expect(view.child(named: "no-such-field") == nil, sourceLocation: sourceLocation)
    }

    static let teaser = Teaser(
        id: Article.ID("t"), slug: "water-talks", title: "Water talks", excerpt: "Ministers met.",
        published: Date(timeIntervalSince1970: 1_700_000_000), section: Section(name: "Economy", slug: "economy"),
        countries: [.kazakhstan, .uzbekistan], author: nil)

    @Test func everyFieldAnswersAsThroughAMirror() {
        let dates = DateLine(timeZone: TimeZone(identifier: "Asia/Almaty")!)
        Self.expectSameAsReflection(LinkView(name: "Economy", url: "/sections/economy"))
        Self.expectSameAsReflection(
            Chrome.NavigationItem(name: "Kazakhstan", slug: "kazakhstan", url: "/countries/kazakhstan", current: true))
        Self.expectSameAsReflection(SearchPage.Option(value: "KZ", name: "Kazakhstan", selected: false))
        Self.expectSameAsReflection(SearchPage.Facet(name: "2024", count: 3, url: nil))
        Self.expectSameAsReflection(SearchPage.Facet(name: "Kazakhstan", count: 3, url: "/search?q=water&country=KZ"))
        Self.expectSameAsReflection(TeaserView(Self.teaser, dates: dates, titleHTML: "<mark>Water</mark> talks"))
        Self.expectSameAsReflection(
            TickerView.Item(
                currency: "KZT", country: "Kazakhstan", value: "1.95", change: "+0.4 %", direction: "up", arrow: "▲",
                label: "Tenge", stale: false, cross: "per 1 RUB"))
        Self.expectSameAsReflection(
            TickerView.Item(
                currency: "UZS", country: "Uzbekistan", value: "0.0078", change: "0 %", direction: "flat", arrow: "–",
                label: "Sum", stale: true, cross: nil))
        for feed in FeedLinkView.all(for: .latest, name: "Latest stories") { Self.expectSameAsReflection(feed) }
        Self.expectSameAsReflection(PaginationView.PageLink(number: "2", url: "/?page=2", current: false, gap: false))
        Self.expectSameAsReflection(PaginationView.PageLink(number: "…", url: nil, current: false, gap: true))
        let nav = [Chrome.NavigationItem(name: "Economy", slug: "economy", url: "/sections/economy", current: false)]
        let ticker = TickerView(
            dateText: "30 Nov",
            items: [
                TickerView.Item(
                    currency: "KGS", country: "Kyrgyzstan", value: "1", change: "0 %", direction: "flat", arrow: "–",
                    label: "Som", stale: false, cross: nil)
            ], ratesURL: "/rates", stale: false)
        Self.expectSameAsReflection(ticker)
        for ticker in [ticker, nil] {
            Self.expectSameAsReflection(
                Chrome(
                    siteName: "Caravan", tagline: "News", dateLine: "30 November 2026", dateISO: "2026-11-30T00:00:00Z",
                    stylesheet: "/static/caravan.css?v=1", countries: nav, sections: nav + nav,
                    sectionLinksHTML: "<li>x</li>", sectionOptionsHTML: "<option>x</option>", searchQuery: "water",
                    ticker: ticker, year: "2026"))
        }
        var bare = Self.teaser
        bare.published = nil
        bare.section = nil
        Self.expectSameAsReflection(TeaserView(bare, dates: dates))
    }
}
