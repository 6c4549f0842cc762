import CaravanCore
import Testing

@Suite("Result range: the numbers behind “Viewing results 1–10 of 23”")
struct ResultRangeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let total, page, perPage, first, last, pages: Int
        let pastEnd: Bool
        let sentence: String
        var testDescription: String { "total \(total), page \(page) of \(perPage)" }
    }

    static let cases: [Case] = [
        // No results: page 1 exists and says so; page 2 does not.
        Case(total: 0, page: 1, perPage: 10, first: 0, last: 0, pages: 1, pastEnd: false, sentence: "No results"),
        Case(total: 0, page: 2, perPage: 10, first: 0, last: 0, pages: 1, pastEnd: true, sentence: "No results"),
        // One result.
        Case(total: 1, page: 1, perPage: 10, first: 1, last: 1, pages: 1, pastEnd: false, sentence: "Viewing results 1–1 of 1"),
        // Exact multiple of the page size: no empty page 3.
        Case(total: 20, page: 2, perPage: 10, first: 11, last: 20, pages: 2, pastEnd: false, sentence: "Viewing results 11–20 of 20"),
        Case(total: 20, page: 3, perPage: 10, first: 0, last: 0, pages: 2, pastEnd: true, sentence: "Viewing results 0–0 of 20"),
        // Partial last page.
        Case(total: 23, page: 1, perPage: 10, first: 1, last: 10, pages: 3, pastEnd: false, sentence: "Viewing results 1–10 of 23"),
        Case(total: 23, page: 3, perPage: 10, first: 21, last: 23, pages: 3, pastEnd: false, sentence: "Viewing results 21–23 of 23"),
        // The WordPress bug: 3 results never print "1 - 6 of 3".
        Case(total: 3, page: 1, perPage: 6, first: 1, last: 3, pages: 1, pastEnd: false, sentence: "Viewing results 1–3 of 3"),
        Case(total: 19043, page: 1905, perPage: 10, first: 19041, last: 19043, pages: 1905, pastEnd: false, sentence: "Viewing results 19041–19043 of 19043"),
        Case(total: 5, page: 1, perPage: 1, first: 1, last: 1, pages: 5, pastEnd: false, sentence: "Viewing results 1–1 of 5"),
    ]

    @Test(arguments: cases)
    func range(_ c: Case) {
        let range = ResultRange(total: c.total, page: c.page, perPage: c.perPage)
        #expect(range.first == c.first)
        #expect(range.last == c.last)
        #expect(range.pages == c.pages)
        #expect(range.isPastEnd == c.pastEnd)
        if !c.pastEnd { #expect(range.sentence == c.sentence) }
        #expect(range.count == (c.first == 0 ? 0 : c.last - c.first + 1))
    }

    @Test func neighbours() {
        let middle = ResultRange(total: 23, page: 2, perPage: 10)
        #expect(middle.hasPrevious && middle.hasNext)
        #expect(middle.offset == 10)
        let last = ResultRange(total: 23, page: 3, perPage: 10)
        #expect(!last.hasNext)
    }

    @Test(arguments: [(nil, 10), (0, 1), (-5, 1), (7, 7), (50, 50), (51, 50), (10_000, 50)] as [(Int?, Int)])
    func pageSizeIsClamped(requested: Int?, expected: Int) {
        #expect(PageSize.clamp(requested, default: 10) == expected)
    }
}
