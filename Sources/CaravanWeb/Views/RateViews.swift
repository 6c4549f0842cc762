import CaravanCore
import CaravanRates
import Foundation

/// The country whose currency it is, for labels.
enum CurrencyNames {
    static func country(_ currency: Currency) -> String {
        switch currency {
        case .kzt: "Kazakhstan (tenge)"
        case .kgs: "Kyrgyzstan (som)"
        case .tjs: "Tajikistan (somoni)"
        case .uzs: "Uzbekistan (sum)"
        case .tmt: "Turkmenistan (manat)"
        case .rub: "Russia (rouble)"
        default: currency.code
        }
    }
}

/// How a change reads to eyes, to screen readers, and to the stylesheet: never colour alone.
struct ChangeView: Sendable {
    let text: String
    let direction: String
    let arrow: String
    let label: String

    init(_ entry: TickerEntry, dates: (Day) -> String) {
        guard let change = entry.change else {
            (text, direction, arrow, label) = ("—", "flat", "", "no earlier rate to compare")
            return
        }
        text = RateFormat.change(change.percent)
        let rounded = change.percent(places: 2)
        let since = dates(change.previousDate)
        if rounded > 0 {
            (direction, arrow, label) = ("up", "▲", "up \(text.dropFirst()) since \(since)")
        } else if rounded < 0 {
            (direction, arrow, label) = ("down", "▼", "down \(text.replacingOccurrences(of: RateFormat.minusSign, with: "")) since \(since)")
        } else {
            (direction, arrow, label) = ("flat", "▬", "unchanged since \(since)")
        }
    }
}

extension TickerView {
    init?(_ entries: [TickerEntry], direction: SiteConfiguration.TickerDirection) {
        guard !entries.isEmpty else { return nil }
        let newest = entries.map(\.rate.effectiveDate).max()!
        self.init(
            dateText: "of \(RatesText.day(newest))",
            items: entries.map { entry in
                let change = ChangeView(entry, dates: RatesText.day)
                let value = direction == .perUSD
                    ? RateFormat.perUSD(entry.rate)
                    : "\(RateFormat.pairLabel(entry.currency)) \(RateFormat.usdPerUnit(entry.rate))"
                return Item(
                    currency: entry.currency.code, country: CurrencyNames.country(entry.currency), value: value,
                    change: change.text, direction: change.direction, arrow: change.arrow, label: change.label,
                    stale: entry.isStale, cross: entry.rate.crossVia.map { _ in "via \(entry.rate.source.rawValue.uppercased())" })
            },
            ratesURL: SiteRoute.rates.path, stale: entries.contains(where: \.isStale))
    }
}

enum RatesText {
    static func day(_ day: Day) -> String {
        "\(day.day) \(DateLine.months[day.month - 1]) \(day.year)"
    }
}

/// The rates page.
struct RatesPage: Sendable {
    let chrome: Chrome
    let title: String
    let dateText: String
    let rows: [Row]
    let charts: [ChartView]
    let hasRates: Bool
    let csvURL: String

    struct Row: Sendable {
        let currency: String
        let country: String
        let perUSD: String
        let inverse: String
        let change: ChangeView
        let dateText: String
        let dateISO: String
        let source: String
        let cross: String?
        let stale: Bool
    }
}

/// A line chart of one currency's accepted rates, drawn as SVG on the server: numbers in, coordinates out.
struct ChartView: Sendable {
    let currency: String
    let title: String
    let points: String
    let dots: [Dot]
    let minLabel: String
    let maxLabel: String
    let firstDate: String
    let lastDate: String
    let summary: String
    let width = 600
    let height = 200

    struct Dot: Sendable {
        let x: String
        let y: String
        let label: String
    }

    /// Plot area inside the SVG, leaving room for the axis labels.
    static let left = 70.0, right = 590.0, top = 15.0, bottom = 170.0

    init?(currency: Currency, history: [Rate]) {
        guard let first = history.first, let last = history.last else { return nil }
        let values = history.map { NSDecimalNumber(decimal: $0.perUSD).doubleValue }
        let low = values.min()!, high = values.max()!
        // The vertical scale spans at least 1 % of the rate, centred on the data: otherwise a peg that wobbles in the
        // fifth decimal would be drawn as a cliff, and a flat line would sit on the floor.
        let minimumSpan = max(abs(high) * 0.01, 1e-9)
        let span = max(high - low, minimumSpan)
        let base = (high + low) / 2 - span / 2
        let firstDay = first.effectiveDate, days = max(1, firstDay.days(until: last.effectiveDate))
        func x(_ rate: Rate) -> Double {
            history.count == 1 ? (Self.left + Self.right) / 2
                : Self.left + (Self.right - Self.left) * Double(firstDay.days(until: rate.effectiveDate)) / Double(days)
        }
        func y(_ value: Double) -> Double { Self.bottom - (Self.bottom - Self.top) * (value - base) / span }
        let coordinates = zip(history, values).map { (x($0.0), y($0.1)) }
        self.currency = currency.code
        title = "\(currency.code) per US dollar"
        points = coordinates.map { String(format: "%.1f,%.1f", $0.0, $0.1) }.joined(separator: " ")
        dots = zip(history, coordinates).map { rate, point in
            Dot(x: String(format: "%.1f", point.0), y: String(format: "%.1f", point.1),
                label: "\(RatesText.day(rate.effectiveDate)): \(RateFormat.perUSD(rate))")
        }
        // The axis labels name the ends of the scale, which may lie beyond the data.
        minLabel = RateFormat.perUSDNumber(Decimal(base))
        maxLabel = RateFormat.perUSDNumber(Decimal(base + span))
        firstDate = RatesText.day(first.effectiveDate)
        lastDate = RatesText.day(last.effectiveDate)
        summary = "\(currency.code) per US dollar from \(firstDate) to \(lastDate): \(history.count) publication\(history.count == 1 ? "" : "s"), between \(RateFormat.perUSDNumber(history.map(\.perUSD).min()!)) and \(RateFormat.perUSDNumber(history.map(\.perUSD).max()!))."
    }
}
