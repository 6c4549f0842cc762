import CaravanCore
import CaravanSearch
import Foundation

/// How results are ordered.
public enum SearchSort: String, Sendable, Hashable, CaseIterable {
    case relevance, newest
}

/// A reader's search: the words and the filters, as the page, the API and the command line give them.
public struct SearchRequest: Sendable, Hashable {
    public var text: String
    public var page: Int
    public var perPage: Int
    public var country: Country?
    /// A section slug.
    public var section: String?
    public var language: Article.Language?
    /// Inclusive bounds on the publication time.
    public var from: Date?
    public var to: Date?
    public var sort: SearchSort
    /// Titles and passages with marks; evaluation runs, which read only the ranking, turn this off.
    public var highlights = true

    public init(
        text: String, page: Int = 1, perPage: Int = 10, country: Country? = nil, section: String? = nil,
        language: Article.Language? = nil, from: Date? = nil, to: Date? = nil, sort: SearchSort = .relevance
    ) {
        self.text = text
        self.page = page
        self.perPage = perPage
        self.country = country
        self.section = section
        self.language = language
        self.from = from
        self.to = to
        self.sort = sort
    }
}

/// One result: the story's teaser with its title and a passage highlighted, escaped and ready for HTML.
public struct SearchHit: Sendable, Hashable {
    public var teaser: Teaser
    /// The title with `<mark>` around matched words; everything else escaped.
    public var titleHTML: String
    /// About 30 words around the best match, marked and escaped the same way.
    public var snippetHTML: String
    /// True when the story matched every word of the query (such stories rank first).
    public var matchedAll: Bool

    public init(teaser: Teaser, titleHTML: String, snippetHTML: String, matchedAll: Bool) {
        self.teaser = teaser
        self.titleHTML = titleHTML
        self.snippetHTML = snippetHTML
        self.matchedAll = matchedAll
    }
}

/// A page of results with everything the page, the API and the command line show.
public struct SearchResults: Sendable, Hashable {
    public var query: ParsedQuery
    public var range: ResultRange
    public var hits: [SearchHit]
    /// Matching stories per country and per year, for the whole query (not only this page).
    public var countryFacets: [Country: Int]
    public var yearFacets: [Int: Int]
    /// A corrected query drawn from the index's own words, when the query found little.
    public var suggestion: String?
    /// Set when there was nothing to run (blank query, only punctuation, only exclusions).
    public var emptyReason: EmptyQueryReason?

    public init(
        query: ParsedQuery, range: ResultRange, hits: [SearchHit], countryFacets: [Country: Int], yearFacets: [Int: Int],
        suggestion: String?, emptyReason: EmptyQueryReason?
    ) {
        self.query = query
        self.range = range
        self.hits = hits
        self.countryFacets = countryFacets
        self.yearFacets = yearFacets
        self.suggestion = suggestion
        self.emptyReason = emptyReason
    }

    public static func empty(_ query: ParsedQuery, reason: EmptyQueryReason?, page: Int, perPage: Int) -> SearchResults {
        SearchResults(
            query: query, range: ResultRange(total: 0, page: page, perPage: perPage), hits: [], countryFacets: [:],
            yearFacets: [:], suggestion: nil, emptyReason: reason)
    }
}

/// The archive's search engine. Stories enter and leave the index in the same transaction that writes them
/// (the store's job); this protocol is the reading side that a faster engine could take over.
public protocol SearchIndex: Sendable {
    func search(_ request: SearchRequest) async throws -> SearchResults
    /// Loads what the engine keeps in memory, so that the first searches are as fast as the rest.
    func prepare() async throws
}

extension SearchIndex {
    public func prepare() async throws {}
}
