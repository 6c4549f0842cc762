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
        var bare = Self.teaser
        bare.published = nil
        bare.section = nil
        Self.expectSameAsReflection(TeaserView(bare, dates: dates))
    }
}
