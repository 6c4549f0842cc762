import CaravanApp
import CaravanStorage
import CaravanWeb
import Foundation
import Testing

@Suite struct ServeConfigurationTests {
    @Test func withNothingGivenTheServerStartsOnTheDefaults() throws {
        let configuration = try ServeConfiguration(ServeFlags(), environment: [:])
        #expect(configuration.database == .sqlite(path: "caravan.sqlite"))
        #expect(configuration.replica == nil)
        #expect(configuration.host == "127.0.0.1" && configuration.port == 8080)
        #expect(configuration.site.siteURL == "http://127.0.0.1:8080")
        #expect(configuration.site.timeZone.identifier == "Asia/Almaty")
        #expect(configuration.site.perPage == 10)
        #expect(configuration.site.tickerDirection == .perUSD && configuration.site.feedContent == .full)
        #expect(configuration.site.pageCacheBytes == 64 << 20)
        #expect(configuration.idleTimeout == .seconds(30) && configuration.schedulerInterval == .seconds(20))
        #expect(configuration.ratesSchedule == nil, "no network requests unless asked for")
        #expect(!configuration.demo)
    }

    @Test func theEnvironmentFillsWhatNoFlagSays() throws {
        let environment = [
            "CARAVAN_DATABASE": "postgres://caravan@db:5432/caravan", "CARAVAN_DATABASE_REPLICA": "postgres://caravan@replica/caravan",
            "CARAVAN_TIME_ZONE": "Asia/Tashkent", "CARAVAN_PER_PAGE": "25", "CARAVAN_TICKER": "usd-per-unit",
            "CARAVAN_FEED_CONTENT": "summary", "CARAVAN_PAGE_CACHE_MB": "8", "CARAVAN_IDLE_TIMEOUT": "5",
            "CARAVAN_SITE_URL": "https://news.example/",
        ]
        let configuration = try ServeConfiguration(ServeFlags(), environment: environment)
        #expect(configuration.database == .postgres("postgres://caravan@db:5432/caravan"))
        #expect(configuration.replica == .postgres("postgres://caravan@replica/caravan"))
        #expect(configuration.site.timeZone.identifier == "Asia/Tashkent")
        #expect(configuration.site.perPage == 25)
        #expect(configuration.site.tickerDirection == .usdPerUnit && configuration.site.feedContent == .summary)
        #expect(configuration.site.pageCacheBytes == 8 << 20)
        #expect(configuration.idleTimeout == .seconds(5))
        #expect(configuration.site.siteURL == "https://news.example", "without the trailing slash")
    }

    @Test func aFlagWinsOverTheEnvironment() throws {
        var flags = ServeFlags()
        flags.database = "sqlite:flag.sqlite"
        flags.perPage = 12
        flags.ticker = "per-usd"
        flags.siteURL = "https://flag.example"
        flags.timeZone = "Asia/Bishkek"
        let configuration = try ServeConfiguration(
            flags,
            environment: [
                "CARAVAN_DATABASE": "sqlite:env.sqlite", "CARAVAN_PER_PAGE": "30", "CARAVAN_TICKER": "usd-per-unit",
                "CARAVAN_SITE_URL": "https://env.example", "CARAVAN_TIME_ZONE": "Asia/Dushanbe",
            ])
        #expect(configuration.database == .sqlite(path: "flag.sqlite"))
        #expect(configuration.site.perPage == 12 && configuration.site.tickerDirection == .perUSD)
        #expect(configuration.site.siteURL == "https://flag.example")
        #expect(configuration.site.timeZone.identifier == "Asia/Bishkek")
    }

    @Test func theSiteAddressFollowsTheHostAndAChosenPort() throws {
        var flags = ServeFlags()
        flags.host = "0.0.0.0"
        flags.port = 0
        let configuration = try ServeConfiguration(flags, environment: [:], pickPort: { host in
            #expect(host == "0.0.0.0")
            return 43_210
        })
        #expect(configuration.port == 43_210)
        #expect(configuration.site.siteURL == "http://127.0.0.1:43210", "everywhere is reached on the loopback")
        #expect(configuration.shownHost == "127.0.0.1")
    }

    @Test func fetchingRatesKeepsItsSchedule() throws {
        var flags = ServeFlags()
        flags.fetchRates = true
        flags.ratesSchedule = "08:00,16:00"
        let configuration = try ServeConfiguration(flags, environment: [:])
        #expect(configuration.ratesSchedule != nil)
    }

    /// Each wrong value, and the sentence that says what to do about it.
    static let problems: [(String, @Sendable (inout ServeFlags) -> Void, [String: String], String)] = [
        ("port", { $0.port = 70_000 }, [:], "--port must be from 0 to 65535, not 70000"),
        ("per page", { $0.perPage = 0 }, [:], "--per-page must be from 1 to 50, not 0"),
        ("per page from the environment", { _ in }, ["CARAVAN_PER_PAGE": "500"], "--per-page must be from 1 to 50, not 500"),
        (
            "a word where a number goes", { _ in }, ["CARAVAN_PER_PAGE": "ten"],
            "CARAVAN_PER_PAGE must be a whole number for --per-page, not \"ten\""
        ),
        ("ticker", { $0.ticker = "sideways" }, [:], "--ticker must be per-usd or usd-per-unit, not sideways"),
        ("feeds", { _ in }, ["CARAVAN_FEED_CONTENT": "half"], "--feed-content must be full or summary, not half"),
        ("cache", { $0.pageCacheMB = 0 }, [:], "--page-cache-mb must be from 1 to 65536, not 0"),
        ("idle", { $0.idleTimeout = 7200 }, [:], "--idle-timeout must be from 1 to 3600 seconds, not 7200"),
        ("scheduler", { $0.schedulerInterval = 0 }, [:], "--scheduler-interval must be from 1 to 3600 seconds, not 0"),
        (
            "time zone", { $0.timeZone = "Central Asia" }, [:],
            "unknown time zone \"Central Asia\" (use an IANA name such as Asia/Almaty)"
        ),
    ]

    @Test(arguments: 0..<problems.count) func aWrongValueIsRefusedWithASentence(_ index: Int) throws {
        let (_, change, environment, message) = Self.problems[index]
        var flags = ServeFlags()
        change(&flags)
        #expect {
            _ = try ServeConfiguration(flags, environment: environment)
        } throws: { error in
            "\(error)" == message
        }
    }

    @Test func aWrongScheduleOrDatabaseSaysWhichFlag() throws {
        var flags = ServeFlags()
        flags.ratesSchedule = "25:00"
        #expect {
            _ = try ServeConfiguration(flags, environment: [:])
        } throws: { error in
            "\(error)".hasPrefix("--rates-schedule: ") && "\(error)".contains("25:00")
        }
        var database = ServeFlags()
        database.database = "mysql://somewhere"
        #expect {
            _ = try ServeConfiguration(database, environment: [:])
        } throws: { error in
            "\(error)".contains("mysql://somewhere")
        }
    }
}
