import ArgumentParser
import CaravanCore
import CaravanStorage
import CaravanWeb
import Foundation

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search the archive, as the site does.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "What to look for: words, \"exact phrases\", -exclusions, OR, prefix*.")
    var query: String

    @Option(help: "Page of results.")
    var page = 1

    @Option(help: "Results a page (1–\(PageSize.maximum)).")
    var perPage = 10

    @Flag(help: "Print the API's search object.")
    var json = false

    func run() async throws {
        try await reportingFailures {
            guard page >= 1 else { throw CommandFailure("--page must be 1 or more, not \(page)") }
            let timeZone = try global.resolvedTimeZone()
            let request = SearchRequest(text: query, page: page, perPage: PageSize.clamp(perPage, default: 10))
            let results = try await global.withStores { try await $0.search.search(request) }
            if json {
                print(try SearchJSON(results, text: query).jsonText())
                return
            }
            if let reason = results.emptyReason {
                print(reason == .onlyExclusions ? "A search needs at least one word to look for." : "Nothing to search for.")
                return
            }
            print(results.range.sentence)
            let dates = DateLine(timeZone: timeZone)
            for (offset, hit) in results.hits.enumerated() {
                let date = hit.teaser.published.map(dates.shortDay) ?? "undated"
                print("\(results.range.first + offset). \(hit.teaser.title)  [\(date)]  /articles/\(hit.teaser.slug)")
                print("   \(PlainText.fromHTML(hit.snippetHTML))")
            }
            if results.range.isPastEnd { print("There is no page \(page); the last is \(results.range.pages).") }
            if let suggestion = results.suggestion { print("Did you mean: \(suggestion)?") }
        }
    }
}
