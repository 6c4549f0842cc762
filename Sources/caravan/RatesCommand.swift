import ArgumentParser
import CaravanCore
import CaravanRates
import CaravanStorage
import CaravanWeb
import Foundation

extension RateSource: ExpressibleByArgument {}

struct RatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rates", abstract: "Exchange rates from the national banks.",
        subcommands: [Import.self, Fetch.self, Show.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Store the rates of a saved national-bank payload.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Which bank's format: \(RateSource.allCases.map(\.rawValue).joined(separator: ", ")).")
        var source: RateSource

        @Argument(help: "The saved payload.")
        var file: String

        func run() async throws {
            try await reportingFailures {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CommandFailure("cannot read \(file): no such file or not readable")
                }
                let publications: [BankPublication]
                do {
                    publications = try RatePayloadParser.parsePublications(data, source: source)
                } catch {
                    throw CommandFailure("\(file): \(error)")
                }
                let timeZone = try global.resolvedTimeZone()
                let rates = try await global.withStores { stores in
                    try await RateDesk(store: stores.rates, timeZone: timeZone).store(publications, fetchedAt: Date())
                }
                for publication in publications {
                    for item in publication.ignored { print("ignored \(item)") }
                }
                let days = Set(rates.map(\.effectiveDate)).sorted().map(\.iso).joined(separator: ", ")
                print("stored \(rates.count) rate\(rates.count == 1 ? "" : "s") from \(source.rawValue.uppercased()) for \(days)")
                for rate in rates where !rate.isCross {
                    print("  \(RateFormat.perUSD(rate))")
                }
            }
        }
    }

    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch", abstract: "Fetch today's rates from the live feeds and store them.",
            discussion: "Prints one line per bank. A bank that fails stores nothing, so its last good rates stay; "
                + "the exit status is 1 only when every bank failed.")

        @OptionGroup var global: GlobalOptions

        @Option(name: .customLong("source"),
                help: "Only this bank; repeat for several (default: all of \(RateSource.allCases.map(\.rawValue).joined(separator: ", "))).")
        var sources: [RateSource] = []

        func run() async throws {
            Logs.bootstrap(level: .warning)
            try await reportingFailures {
                let timeZone = try global.resolvedTimeZone()
                let banks = sources.isEmpty ? RateSource.allCases : sources
                let report = try await global.withStores { stores in
                    let client = RateFetcher.makeHTTPClient()
                    let report = await RateFetcher(client: client, desk: RateDesk(store: stores.rates, timeZone: timeZone))
                        .fetch(banks, now: Date())
                    try await client.shutdown()
                    return report
                }
                // Unbuffered, so the report comes out before the failure line on stderr even when stdout is a pipe.
                FileHandle.standardOutput.write(Data((report.description + "\n").utf8))
                if report.allFailed {
                    throw CommandFailure("no bank's rates could be fetched for \(report.day.iso); nothing was stored")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the ticker's rates.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "The day, YYYY-MM-DD (default: today in the newsroom's time zone).")
        var date: String?

        @Flag(help: "Print the API's rates object.")
        var json = false

        func run() async throws {
            try await reportingFailures {
                let timeZone = try global.resolvedTimeZone()
                var day = Day(Date(), in: timeZone)
                if let date {
                    guard let asked = Day(iso: date) else { throw CommandFailure("--date must be YYYY-MM-DD, not \(date)") }
                    day = asked
                }
                let shown = day
                let entries = try await global.withStores { stores in
                    try await RateDesk(store: stores.rates, timeZone: timeZone).ticker(on: shown)
                }
                if json {
                    print(try RatesJSON(entries, day: day).jsonText())
                    return
                }
                if entries.isEmpty { print("no rates stored on or before \(day.iso)") }
                for entry in entries {
                    let change = entry.change.map { RateFormat.change($0.percent) } ?? "—"
                    var notes: [String] = [entry.rate.effectiveDate.iso, entry.rate.source.rawValue.uppercased()]
                    if let via = entry.rate.crossVia { notes.append("cross via \(via.code)") }
                    if entry.isStale { notes.append("stale") }
                    print("\(RateFormat.perUSD(entry.rate))  \(change)  (\(notes.joined(separator: ", ")))")
                }
            }
        }
    }
}
