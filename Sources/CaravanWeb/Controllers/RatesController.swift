import CaravanCore
import CaravanRates
import CaravanStorage
import Foundation
import Hummingbird

/// The rates page, its CSV, and the rates API.
struct RatesController: Sendable {
    let desk: RateDesk
    let pages: PageResponder
    let configuration: SiteConfiguration
    let clock: @Sendable () -> Date

    /// Days of history in the charts, the CSV and the API's default history.
    static let historyDays = 90

    func addRoutes(to router: RouteTable) {
        router.get(Addresses.rates, use: page)
        router.get(Addresses.ratesCSV, use: csv)
        router.get(Addresses.apiRates, use: api)
        router.get(Addresses.apiRateHistory, use: history)
    }

    /// `?date=`, or today in the newsroom.
    private func day(from request: Request) throws -> Day {
        try QueryValues(request: request, configuration: configuration).calendarDay("date") ?? desk.today(now: clock())
    }

    @Sendable func page(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let day = try day(from: request)
        return try await pages.respond(to: request) { chrome in
            let board = try await desk.board(on: day)
            let entries = board.ticker(on: day)
            let rows = entries.map { entry in
                RatesPage.Row(
                    currency: entry.currency.code, country: CurrencyNames.country(entry.currency),
                    perUSD: RateFormat.perUSD(entry.rate),
                    inverse: "\(RateFormat.pairLabel(entry.currency)) \(RateFormat.usdPerUnit(entry.rate))",
                    change: ChangeView(entry, dates: RatesText.day), dateText: RatesText.day(entry.rate.effectiveDate),
                    dateISO: entry.rate.effectiveDate.iso, source: entry.rate.source.name,
                    cross: entry.rate.crossVia.map { "cross rate through the \($0.code) quotes of \(entry.rate.source.rawValue.uppercased())" },
                    stale: entry.isStale)
            }
            let charts = entries.compactMap { entry in
                ChartView(currency: entry.currency, history: Self.recent(board.history(for: entry.currency, through: day)))
            }
            let newest = entries.map(\.rate.effectiveDate).max()
            let view = RatesPage(
                chrome: chrome, title: "Exchange rates | \(configuration.siteName)",
                dateText: newest.map { "Official rates of \(RatesText.day($0)), as published by each national bank" }
                    ?? "No rates have been published yet.",
                rows: rows, charts: charts, hasRates: !rows.isEmpty, csvURL: Addresses.ratesCSV.path())
            return .page(try pages.renderer.render(view, template: "rates"))
        }
    }

    /// The last `historyDays` days of a series that ends at its newest point.
    static func recent(_ history: [Rate]) -> [Rate] {
        guard let last = history.last?.effectiveDate else { return [] }
        let start = last.adding(days: -historyDays)
        return history.filter { $0.effectiveDate >= start }
    }

    @Sendable func csv(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let day = try day(from: request)
        let board = try await desk.board(on: day)
        var lines = ["date,currency,per_usd,usd_per_unit,source,cross_via"]
        for currency in Currency.tracked {
            for rate in Self.recent(board.history(for: currency, through: day)) {
                lines.append(
                    "\(rate.effectiveDate.iso),\(currency.code),\(RateFormat.jsonPerUSD(rate)),\(RateFormat.jsonUSDPerUnit(rate)),\(rate.source.rawValue),\(rate.crossVia?.code ?? "")")
            }
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"caravan-rates-\(day.iso).csv\"",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: lines.joined(separator: "\r\n") + "\r\n")))
    }

    @Sendable func api(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let day = try day(from: request)
        return JSONBody.response(RatesJSON(try await desk.ticker(on: day), day: day))
    }

    @Sendable func history(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let code = try context.parameters.require("currency").uppercased()
        guard let currency = Currency(code: code), Currency.tracked.contains(currency) else {
            throw HTTPError(
                .notFound,
                message: "no rates for currency “\(code.prefix(10))”; known: \(Currency.tracked.map(\.code).joined(separator: ", "))")
        }
        let values = QueryValues(request: request, configuration: configuration)
        let to = try values.calendarDay("to") ?? desk.today(now: clock())
        let from = try values.calendarDay("from") ?? to.adding(days: -Self.historyDays)
        guard from <= to else { throw HTTPError(.badRequest, message: "from must not be after to.") }
        let board = try await desk.board(on: to)
        let points = board.history(for: currency, through: to).filter { $0.effectiveDate >= from }
        return JSONBody.response(RateHistoryJSON(currency: currency.code, points: points.map {
            RateHistoryJSON.Point(date: $0.effectiveDate.iso, perUSD: RateFormat.jsonPerUSD($0))
        }))
    }
}

/// The rates answer clients read, shared by the API and `caravan rates show --json`.
public struct RatesJSON: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        let currency: String
        let perUSD: Decimal
        let usdPerUnit: Decimal
        @NullWhenAbsent var changePct: Decimal?
        let date: String
        @NullWhenAbsent var previousDate: String?
        let source: String
        @NullWhenAbsent var crossVia: String?
        let stale: Bool

        enum CodingKeys: String, CodingKey {
            case currency, perUSD = "per_usd", usdPerUnit = "usd_per_unit", changePct = "change_pct", date
            case previousDate = "previous_date", source, crossVia = "cross_via", stale
        }
    }

    let base = "USD"
    let date: String
    let rates: [Entry]

    public init(_ entries: [TickerEntry], day: Day) {
        date = entries.map(\.rate.effectiveDate).max()?.iso ?? day.iso
        rates = entries.map { entry in
            Entry(
                currency: entry.currency.code, perUSD: RateFormat.jsonPerUSD(entry.rate),
                // Five significant digits, as clients read them: 87.45 KGS → 0.011435.
                usdPerUnit: RateFormat.jsonUSDPerUnit(entry.rate, significantDigits: 5),
                changePct: entry.change.map { RateFormat.jsonChange($0.percent) },
                date: entry.rate.effectiveDate.iso, previousDate: entry.previous?.effectiveDate.iso,
                source: entry.rate.source.rawValue, crossVia: entry.rate.crossVia?.code, stale: entry.isStale)
        }
    }

    public func jsonText() throws -> String {
        String(decoding: try JSONBody.encoder.encode(self), as: UTF8.self)
    }
}

struct RateHistoryJSON: Encodable, Sendable {
    struct Point: Encodable, Sendable {
        let date: String
        let perUSD: Decimal
        enum CodingKeys: String, CodingKey { case date, perUSD = "per_usd" }
    }
    let currency: String
    let points: [Point]
}

/// The masthead's rates strip, from the stored history.
public struct BoardTicker: TickerSource {
    let desk: RateDesk
    let direction: SiteConfiguration.TickerDirection

    public init(desk: RateDesk, direction: SiteConfiguration.TickerDirection) {
        self.desk = desk
        self.direction = direction
    }

    public func ticker(now: Date) async -> TickerView? {
        // A failing rates table must never take a page down: the strip is left out instead.
        guard let entries = try? await desk.ticker(on: desk.today(now: now)) else { return nil }
        return TickerView(entries, direction: direction)
    }
}
