import CaravanCore
import Foundation

/// Turning a bank's quotes (home currency per N units) into rates per ONE US dollar.
extension BankPublication {
    /// The bank's own rate: its home currency per dollar (KZT from NBK, TMT 3.5 from CBT, RUB from CBR).
    /// Nil when the payload has no dollar (NBKR weekly).
    public var officialRate: Rate? {
        guard let dollar = quote(for: .usd) else { return nil }
        return Rate(currency: homeCurrency, perUSD: dollar.unitValue, effectiveDate: effectiveDate, source: source)
    }

    /// Cross rates for `currencies` other than the home currency and the dollar, through the home currency:
    /// X per USD = (home per USD) / (home per X). `homePerUSD` supplies the dollar when the payload lacks it
    /// (NBKR weekly with the daily file's USD); without either, there are no crosses.
    public func crossRates(for currencies: [Currency] = Currency.tracked, homePerUSD: Decimal? = nil) -> [Rate] {
        guard let anchor = homePerUSD ?? quote(for: .usd)?.unitValue, anchor > 0 else { return [] }
        return currencies.compactMap { currency -> Rate? in
            guard currency != homeCurrency, currency != .usd, let quote = quote(for: currency) else { return nil }
            return Rate(currency: currency, perUSD: crossPerUSD(quote, anchor: anchor), effectiveDate: effectiveDate,
                        source: source, crossVia: homeCurrency)
        }
    }

    /// Every rate this publication yields for `currencies`: the bank's own (if its home currency is asked for) and crosses.
    public func rates(for currencies: [Currency] = Currency.tracked, homePerUSD: Decimal? = nil) -> [Rate] {
        let own = currencies.contains(homeCurrency) ? officialRate.map { [$0] } ?? [] : []
        return own + crossRates(for: currencies, homePerUSD: homePerUSD)
    }

    private func crossPerUSD(_ quote: BankQuote, anchor: Decimal) -> Decimal {
        let derived = anchor / quote.unitValue
        // CBT prints units per dollar itself, more precisely than its 4-decimal rate_tmt allows; but for EUR, GBP,
        // AUD and XDR it prints the other direction, so the printed figure is used only when it agrees within 1 %.
        if let published = quote.publishedPerUSD,
           RateChange.percent(from: derived, to: published).magnitude <= 1 {
            return published
        }
        return derived
    }
}
