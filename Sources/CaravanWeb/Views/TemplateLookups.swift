import Mustache

// Hand-written lookups for the views a page holds by the dozen or the hundred (navigation, form options, links,
// teasers): Mustache asks them for a field by name many times per page, and a switch answers without reflection.
// An empty optional answers nil, as it does through a Mirror, so that an outer context may answer instead.

extension LinkView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "url": url
        default: nil
        }
    }
}

extension Chrome.NavigationItem: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "slug": slug
        case "url": url
        case "current": current
        default: nil
        }
    }
}

extension SearchPage.Option: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "value": value
        case "name": name
        case "selected": selected
        default: nil
        }
    }
}

extension SearchPage.Facet: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "count": count
        case "url": url
        default: nil
        }
    }
}

extension TeaserView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "title": title
        case "titleHTML": titleHTML
        case "url": url
        case "excerpt": excerpt
        case "excerptHTML": excerptHTML
        case "dateText": dateText
        case "dateISO": dateISO
        case "section": section
        case "countries": countries
        default: nil
        }
    }
}
