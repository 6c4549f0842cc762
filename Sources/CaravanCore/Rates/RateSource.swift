import Foundation

/// A bank whose official rates we read. The raw values are the `--source` names of the CLI.
public enum RateSource: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// National Bank of Kazakhstan.
    case nbk
    /// National Bank of the Kyrgyz Republic.
    case nbkr
    /// National Bank of Tajikistan.
    case nbt
    /// Central Bank of the Republic of Uzbekistan.
    case cbu
    /// Central Bank of Turkmenistan.
    case cbt
    /// Central Bank of the Russian Federation (fallback for cross rates).
    case cbr

    /// The currency this bank quotes everything in, and whose official rate it sets.
    public var homeCurrency: Currency {
        switch self {
        case .nbk: return .kzt
        case .nbkr: return .kgs
        case .nbt: return .tjs
        case .cbu: return .uzs
        case .cbt: return .tmt
        case .cbr: return .rub
        }
    }

    /// The bank's name in English, for pages and messages.
    public var name: String {
        switch self {
        case .nbk: return "National Bank of Kazakhstan"
        case .nbkr: return "National Bank of the Kyrgyz Republic"
        case .nbt: return "National Bank of Tajikistan"
        case .cbu: return "Central Bank of the Republic of Uzbekistan"
        case .cbt: return "Central Bank of Turkmenistan"
        case .cbr: return "Central Bank of the Russian Federation"
        }
    }

    /// The attribution to print next to the bank's figures (NBT requires "www.nbt.tj").
    public var attribution: String {
        switch self {
        case .nbk: return "nationalbank.kz"
        case .nbkr: return "www.nbkr.kg"
        case .nbt: return "www.nbt.tj"
        case .cbu: return "cbu.uz"
        case .cbt: return "cbt.tm"
        case .cbr: return "cbr.ru"
        }
    }

    public var description: String { rawValue }
}
