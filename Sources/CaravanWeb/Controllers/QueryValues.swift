import CaravanCore
import Foundation
import Hummingbird

/// A request's query parameters, read and checked the same way by every page and API: a bad one is a 400 that names it.
struct QueryValues {
    let request: Request
    let configuration: SiteConfiguration
    /// The query string, decoded once for every parameter read from it.
    let form: FormQuery

    init(request: Request, configuration: SiteConfiguration) {
        self.request = request
        self.configuration = configuration
        form = request.form
    }

    /// The parameter's text; absent and empty are the same.
    func text(_ name: String) -> String? {
        guard let text = form[name], !text.isEmpty else { return nil }
        return text
    }

    func page() throws -> Int {
        try RequestValues.page(form)
    }

    /// `per_page`: a whole number from 1 to the maximum page size; anything else, too small or too large, is the same
    /// 400 on every page and API, rather than a silent change of what was asked for.
    func perPage() throws -> Int {
        guard let text = text("per_page") else { return configuration.perPage }
        guard let perPage = Int(text), (1...PageSize.maximum).contains(perPage) else {
            throw HTTPError(.badRequest, message: "per_page must be a whole number from 1 to \(PageSize.maximum), not “\(text.prefix(20))”.")
        }
        return perPage
    }

    /// `country`: an ISO code or a country's slug.
    func country() throws -> Country? {
        guard let text = text("country") else { return nil }
        guard let country = Country(code: text) ?? Country(slug: text) else {
            throw HTTPError(
                .badRequest,
                message: "country must be one of \(Country.allCases.map(\.code).joined(separator: ", ")), not “\(text.prefix(20))”.")
        }
        return country
    }

    /// A section, tag or author by name or slug: "Economy" and "economy" are the same section.
    func slug(_ name: String) -> String? {
        text(name).map { Slug.make(from: $0) }
    }

    func language() throws -> Article.Language? {
        guard let text = text("language") else { return nil }
        guard let language = Article.Language(rawValue: text.lowercased()) else {
            throw HTTPError(.badRequest, message: "language must be en or ru, not “\(text.prefix(20))”.")
        }
        return language
    }

    /// `from` and `to` as whole days in the newsroom's time zone, both inclusive.
    func publicationWindow() throws -> (from: Date?, to: Date?) {
        let from = try day("from")
        // "to" is a whole day: everything published before the next midnight.
        let to = try day("to").map { $0.addingTimeInterval(86_399) }
        if let from, let to, from > to { throw HTTPError(.badRequest, message: "from must not be after to.") }
        return (from, to)
    }

    /// A parameter with a fixed set of values, such as `sort`.
    func choice<Value: RawRepresentable & CaseIterable>(_ name: String, of: Value.Type) throws -> Value?
    where Value.RawValue == String {
        guard let text = text(name) else { return nil }
        guard let value = Value(rawValue: text.lowercased()) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: " or ")
            throw HTTPError(.badRequest, message: "\(name) must be \(allowed), not “\(text.prefix(20))”.")
        }
        return value
    }

    /// A calendar day, `YYYY-MM-DD`, as the rates are dated.
    func calendarDay(_ name: String) throws -> Day? {
        guard let text = text(name) else { return nil }
        guard let day = Day(iso: text) else { throw Self.badDay(name, text) }
        return day
    }

    /// The first moment of a day in the newsroom's time zone.
    private func day(_ name: String) throws -> Date? {
        guard let text = text(name) else { return nil }
        guard text.count == 10, let date = ISODate.parse(text, timeZone: configuration.timeZone) else {
            throw Self.badDay(name, text)
        }
        return date
    }

    private static func badDay(_ name: String, _ text: String) -> HTTPError {
        HTTPError(.badRequest, message: "\(name) must be a date written YYYY-MM-DD, not “\(text.prefix(20))”.")
    }
}
