import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird

/// The search parameters shared by `/search`, `/api/v1/search` and their feeds, checked once, naming the bad one.
enum SearchParameters {
    static func request(from request: Request, configuration: SiteConfiguration) throws -> SearchRequest {
        let values = QueryValues(request: request, configuration: configuration)
        var search = SearchRequest(text: values.text("q") ?? "", page: try values.page(), perPage: try values.perPage())
        search.country = try values.country()
        search.section = values.slug("section")
        search.language = try values.language()
        (search.from, search.to) = try values.publicationWindow()
        search.sort = try values.choice("sort", of: SearchSort.self) ?? .relevance
        return search
    }
}
