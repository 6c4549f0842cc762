import CaravanCore
import Foundation

/// Where and how one bank publishes its rates for a day: the documents to download and how to judge their dates.
public struct RateFeed: Hashable, Sendable {
    /// One file of a feed, addressed relative to the feed's origin.
    public struct Document: Hashable, Sendable {
        /// Path and query, starting with `/`.
        public let path: String
        /// Without a required document the source has failed; an optional one (NBKR weekly) is only noted.
        public let isRequired: Bool

        public init(path: String, isRequired: Bool = true) {
            self.path = path
            self.isRequired = isRequired
        }

        /// The file name, for short notes ("weekly.xml").
        public var name: String {
            let withoutQuery = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
            return withoutQuery.split(separator: "/").last.map(String.init) ?? path
        }
    }

    /// How far a payload's own date may lie from the day asked for, in days each way.
    public struct DateWindow: Hashable, Sendable {
        public let earlier: Int
        public let later: Int

        /// NBT, CBU and CBT answer by date and must say that date: they return another day's data silently.
        public static let exact = DateWindow(earlier: 0, later: 0)

        public init(earlier: Int, later: Int) {
            self.earlier = earlier
            self.later = later
        }
    }

    public let source: RateSource
    /// Scheme and host (`https://nationalbank.kz`), without a trailing slash.
    public let origin: String
    /// True where the bank is known or reported to refuse non-browser clients (CBT 403s curl; NBT, NBK and CBU bots send one).
    public let needsBrowserUserAgent: Bool
    /// The dates accepted for a requested day.
    public let dates: DateWindow
    /// Headers the bank's own pages send and some endpoints check (NBT wants a Referer and a language).
    public let extraHeaders: [String: String]

    public init(source: RateSource, origin: String, needsBrowserUserAgent: Bool, dates: DateWindow,
                extraHeaders: [String: String] = [:]) {
        self.source = source
        self.origin = origin
        self.needsBrowserUserAgent = needsBrowserUserAgent
        self.dates = dates
        self.extraHeaders = extraHeaders
    }

    /// The documents that make up the bank's publication for `day`, in fetch order.
    public func documents(for day: Day) -> [Document] {
        let dotted = "\(Self.pad(day.day)).\(Self.pad(day.month)).\(day.year)"
        switch source {
        case .nbk:
            return [Document(path: "/rss/get_rates.cfm?fdate=\(dotted)")]
        case .nbkr:
            // No date parameter exists: both files are always the latest; weekly only adds cross rates.
            return [Document(path: "/XML/daily.xml"), Document(path: "/XML/weekly.xml", isRequired: false)]
        case .nbt:
            return [Document(path: "/en/kurs/export_xml.php?date=\(day.iso)&export=xmlout")]
        case .cbu:
            return [Document(path: "/en/arkhiv-kursov-valyut/json/all/\(day.iso)/")]
        case .cbt:
            return [Document(path: "/kurs/\(day.year)/\(Self.pad(day.day))\(Self.pad(day.month))\(day.year).xml")]
        case .cbr:
            return [Document(path: "/scripts/XML_daily.asp?date_req=\(Self.pad(day.day))/\(Self.pad(day.month))/\(day.year)")]
        }
    }

    /// Throws `dateMismatch` unless `publication` is for a day inside this feed's window around `requested`.
    public func checkDate(of publication: BankPublication, requested: Day) throws(RatePayloadError) {
        let offset = requested.days(until: publication.effectiveDate)
        guard offset < -dates.earlier || offset > dates.later else { return }
        throw RatePayloadError(.dateMismatch(requested: requested, effective: publication.effectiveDate), source: source)
    }

    /// The feed as FORMATS.md describes it for each bank.
    public static func standard(for source: RateSource) -> RateFeed {
        switch source {
        case .nbk:
            // No publication for weekends and holidays: the answer is the last rate in force, up to a long holiday back.
            return RateFeed(source: .nbk, origin: "https://nationalbank.kz", needsBrowserUserAgent: true,
                            dates: DateWindow(earlier: 10, later: 0))
        case .nbkr:
            // daily.xml carries the next effective date from the afternoon on; weekly.xml is up to a week old.
            return RateFeed(source: .nbkr, origin: "https://www.nbkr.kg", needsBrowserUserAgent: false,
                            dates: DateWindow(earlier: 7, later: 3))
        case .nbt:
            return RateFeed(source: .nbt, origin: "https://www.nbt.tj", needsBrowserUserAgent: true, dates: .exact,
                            extraHeaders: ["Referer": "https://nbt.tj/ru/kurs/", "Accept-Language": "en,ru;q=0.8"])
        case .cbu:
            return RateFeed(source: .cbu, origin: "https://cbu.uz", needsBrowserUserAgent: true, dates: .exact)
        case .cbt:
            return RateFeed(source: .cbt, origin: "https://cbt.tm", needsBrowserUserAgent: true, dates: .exact)
        case .cbr:
            // CBR answers with the last rate in force on or before the date asked for.
            return RateFeed(source: .cbr, origin: "https://www.cbr.ru", needsBrowserUserAgent: false,
                            dates: DateWindow(earlier: 10, later: 0))
        }
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
