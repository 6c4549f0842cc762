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

extension TickerView.Item: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "currency": currency
        case "country": country
        case "value": value
        case "change": change
        case "direction": direction
        case "arrow": arrow
        case "label": label
        case "stale": stale
        case "cross": cross
        default: nil
        }
    }
}

extension FeedLinkView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "type": type
        case "title": title
        case "url": url
        default: nil
        }
    }
}

extension PaginationView.PageLink: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "number": number
        case "url": url
        case "current": current
        case "gap": gap
        default: nil
        }
    }
}

// Every page carries these: by reflection, each render also walked the hundred navigation items of `sections`,
// which no template reads.
extension Chrome: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "siteName": siteName
        case "tagline": tagline
        case "dateLine": dateLine
        case "dateISO": dateISO
        case "stylesheet": stylesheet
        case "countries": countries
        case "sections": sections
        case "sectionLinksHTML": sectionLinksHTML
        case "sectionOptionsHTML": sectionOptionsHTML
        case "searchQuery": searchQuery
        case "ticker": ticker
        case "year": year
        case "feeds": feeds
        case "links": links
        default: nil
        }
    }
}

extension TickerView: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "dateText": dateText
        case "items": items
        case "ratesURL": ratesURL
        case "stale": stale
        default: nil
        }
    }
}
