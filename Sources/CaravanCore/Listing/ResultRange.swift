/// Which slice of a result list a page shows: the numbers behind "Viewing results 11–20 of 23".
public struct ResultRange: Sendable, Hashable, Codable {
    public let total: Int
    public let page: Int
    public let perPage: Int

    public init(total: Int, page: Int, perPage: Int) {
        precondition(perPage > 0, "a page holds at least one result")
        self.total = max(0, total)
        self.page = max(1, page)
        self.perPage = perPage
    }

    /// At least one page, so that an empty listing still has a page 1 to show.
    public var pages: Int { max(1, (total + perPage - 1) / perPage) }

    /// A page after the last one: the reader gets a 404 that links to `pages`.
    public var isPastEnd: Bool { page > pages }

    /// The 1-based number of the first result on screen, 0 when nothing is.
    public var first: Int { isEmptyPage ? 0 : (page - 1) * perPage + 1 }

    /// The 1-based number of the last result on screen, 0 when nothing is.
    public var last: Int { isEmptyPage ? 0 : min(page * perPage, total) }

    /// How many results this page holds.
    public var count: Int { isEmptyPage ? 0 : last - first + 1 }

    /// Rows to skip to reach this page.
    public var offset: Int { (page - 1) * perPage }

    public var hasPrevious: Bool { page > 1 && !isPastEnd }
    public var hasNext: Bool { page < pages }

    private var isEmptyPage: Bool { total == 0 || isPastEnd }

    /// What people read, with an en dash: "Viewing results 1–10 of 23".
    public var sentence: String {
        total == 0 ? "No results" : "Viewing results \(first)–\(last) of \(total)"
    }
}

/// Page-size rules shared by the site, the API and the command line.
public enum PageSize {
    public static let maximum = 50

    /// Clamps a requested page size to 1…maximum, falling back to the default when absent.
    public static func clamp(_ requested: Int?, default fallback: Int) -> Int {
        guard let requested else { return fallback }
        return min(max(requested, 1), maximum)
    }
}
