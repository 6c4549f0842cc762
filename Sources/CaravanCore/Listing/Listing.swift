/// Which stories a listing page shows.
public enum Listing: Sendable, Hashable {
    case latest
    case country(Country)
    case section(slug: String)
    case tag(slug: String)
    case author(slug: String)
}

/// One page of a listing: the teasers on screen and the range they cover.
public struct ListingPage: Sendable, Hashable {
    /// What the listing is of, in words ("Kazakhstan", "Economy"); nil for the latest stories.
    public var name: String?
    public var range: ResultRange
    public var teasers: [Teaser]

    public init(name: String?, range: ResultRange, teasers: [Teaser]) {
        self.name = name
        self.range = range
        self.teasers = teasers
    }
}
