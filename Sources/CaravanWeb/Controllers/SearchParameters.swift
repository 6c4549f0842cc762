import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird

/// The search parameters shared by `/search`, `/api/v1/search` and their feeds, checked once, naming the bad one.
enum SearchParameters {
    static func request(from request: Request, configuration: SiteConfiguration) throws -> SearchRequest {
        let query = request.uri.queryParameters
        func value(_ name: String) -> String? {
            guard let text = query[name[...]].map(String.init), !text.isEmpty else { return nil }
            return text
        }
        var search = SearchRequest(text: value("q") ?? "", perPage: configuration.perPage)
        search.page = try RequestValues.page(request)
        if let text = value("per_page") {
            guard let perPage = Int(text), perPage >= 1 else {
                throw HTTPError(.badRequest, message: "per_page must be a whole number from 1 to \(PageSize.maximum), not “\(text.prefix(20))”.")
            }
            search.perPage = PageSize.clamp(perPage, default: configuration.perPage)
        }
        if let text = value("country") {
            guard let country = Country(code: text) ?? Country(slug: text) else {
                throw HTTPError(
                    .badRequest,
                    message: "country must be one of \(Country.allCases.map(\.code).joined(separator: ", ")), not “\(text.prefix(20))”.")
            }
            search.country = country
        }
        search.section = value("section").map { Slug.make(from: $0) }
        if let text = value("language") {
            guard let language = Article.Language(rawValue: text.lowercased()) else {
                throw HTTPError(.badRequest, message: "language must be en or ru, not “\(text.prefix(20))”.")
            }
            search.language = language
        }
        search.from = try day(value("from"), name: "from", timeZone: configuration.timeZone)
        // "to" is a whole day: everything published before the next midnight.
        search.to = try day(value("to"), name: "to", timeZone: configuration.timeZone).map { $0.addingTimeInterval(86_399) }
        if let text = value("sort") {
            guard let sort = SearchSort(rawValue: text.lowercased()) else {
                throw HTTPError(.badRequest, message: "sort must be relevance or newest, not “\(text.prefix(20))”.")
            }
            search.sort = sort
        }
        if let from = search.from, let to = search.to, from > to {
            throw HTTPError(.badRequest, message: "from must not be after to.")
        }
        return search
    }

    static func day(_ text: String?, name: String, timeZone: TimeZone) throws -> Date? {
        guard let text else { return nil }
        guard text.count == 10, let date = ISODate.parse(text, timeZone: timeZone) else {
            throw HTTPError(.badRequest, message: "\(name) must be a date written YYYY-MM-DD, not “\(text.prefix(20))”.")
        }
        return date
    }
}
