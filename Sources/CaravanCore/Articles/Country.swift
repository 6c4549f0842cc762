/// The countries the newsroom files stories under, plus a bucket for region-wide stories.
public enum Country: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
    case kazakhstan = "KZ"
    case kyrgyzstan = "KG"
    case tajikistan = "TJ"
    case turkmenistan = "TM"
    case uzbekistan = "UZ"
    case afghanistan = "AF"
    // ISO 3166 reserves X* codes for private use; XC is ours for "Central Asia as a whole".
    case region = "XC"

    /// ISO 3166 alpha-2 code (XC for the regional bucket).
    public var code: String { rawValue }

    public var name: String {
        switch self {
        case .kazakhstan: "Kazakhstan"
        case .kyrgyzstan: "Kyrgyzstan"
        case .tajikistan: "Tajikistan"
        case .turkmenistan: "Turkmenistan"
        case .uzbekistan: "Uzbekistan"
        case .afghanistan: "Afghanistan"
        case .region: "Central Asia"
        }
    }

    public var slug: String {
        self == .region ? "central-asia" : name.lowercased()
    }

    /// Accepts an ISO code in any case; nil for a code the newsroom does not cover.
    public init?(code: String) {
        self.init(rawValue: code.uppercased())
    }

    public init?(slug: String) {
        guard let match = Country.allCases.first(where: { $0.slug == slug.lowercased() }) else { return nil }
        self = match
    }

    public static func < (lhs: Country, rhs: Country) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
