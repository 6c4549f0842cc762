import AsyncHTTPClient
import CaravanCore
import CaravanRates
import CaravanSQLite
import CaravanStorage
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The live fetcher against a local server that plays each bank: the bank's real payloads and its failure modes.
/// After every failure the stored history must be exactly what it was.
@Suite struct FetcherTests {
    // MARK: - Success, bank by bank

    /// One bank's answer for a day: the paths it serves and the dollar rate that must end up stored.
    struct BankCase: Sendable, CustomTestStringConvertible {
        let source: RateSource
        let day: String
        let files: [(path: String, fixture: String)]
        let currency: Currency
        let perUSD: String
        let effective: String
        let crossVia: Currency?

        var testDescription: String { "\(source.rawValue) \(day)" }

        static let all: [BankCase] = [
            BankCase(source: .nbk, day: "2026-04-02",
                     files: [("/rss/get_rates.cfm?fdate=02.04.2026", "nbk-kz/get_rates_fdate_2026-04-02.xml")],
                     currency: .kzt, perUSD: "475.09", effective: "2026-04-02", crossVia: nil),
            BankCase(source: .nbkr, day: "2026-05-24",
                     files: [("/XML/daily.xml", "nbkr-kg/daily_2026-05-24.xml"),
                             ("/XML/weekly.xml", "nbkr-kg/weekly_2026-05-23.xml")],
                     currency: .kgs, perUSD: "87.45", effective: "2026-05-24", crossVia: nil),
            BankCase(source: .nbt, day: "2026-05-19",
                     files: [("/en/kurs/export_xml.php?date=2026-05-19&export=xmlout", "nbt-tj/export_xml_en_date_2026-05-19.xml")],
                     currency: .tjs, perUSD: "9.3371", effective: "2026-05-19", crossVia: nil),
            BankCase(source: .cbu, day: "2026-04-02",
                     files: [("/en/arkhiv-kursov-valyut/json/all/2026-04-02/", "cbu-uz/json_all_en_2026-04-02.json")],
                     currency: .uzs, perUSD: "12142.10", effective: "2026-04-02", crossVia: nil),
            BankCase(source: .cbt, day: "2026-05-21",
                     files: [("/kurs/2026/21052026.xml", "cbt-tm/kurs_2026-05-21.xml")],
                     currency: .tmt, perUSD: "3.5", effective: "2026-05-21", crossVia: nil),
            // CBR is windows-1251 and answers a Sunday with Saturday's rates, the last in force.
            BankCase(source: .cbr, day: "2026-04-26",
                     files: [("/scripts/XML_daily.asp?date_req=26/04/2026", "cbr-ru/XML_daily_2026-04-25_cp1251.xml")],
                     currency: .kgs, perUSD: "", effective: "2026-04-25", crossVia: .rub),
        ]
    }

    @Test(arguments: BankCase.all)
    func storesEachBanksPayloadFromItsOwnAddress(_ bank: BankCase) async throws {
        try await withRig { rig in
            for file in bank.files { try rig.server.answer(file.path, fixture: file.fixture) }
            let report = await rig.fetcher([bank.source: rig.server.base()]).fetch(bank.source, on: rateDay(bank.day), fetchedAt: rig.now)
            guard case .stored(let count, let days) = report.outcome else {
                Issue.record("expected rates to be stored: \(report)")
                return
            }
            #expect(count > 0)
            #expect(days.contains(rateDay(bank.effective)))
            #expect(report.requests == bank.files.count)
            #expect(rig.server.requests.map(\.path).sorted() == bank.files.map(\.path).sorted())
            let feed = RateFeed.standard(for: bank.source)
            let expectedAgent = feed.needsBrowserUserAgent
                ? RateFetcher.Configuration.desktopBrowserUserAgent : RateFetcher.Configuration.caravanUserAgent
            #expect(rig.server.requests.allSatisfy { $0.userAgent == expectedAgent })
            let stored = try await rig.history().filter {
                $0.currency == bank.currency && $0.source == bank.source && $0.effectiveDate == rateDay(bank.effective)
                    && $0.crossVia == bank.crossVia
            }
            #expect(stored.count == 1)
            if !bank.perUSD.isEmpty { #expect(stored.first?.perUSD == exact(bank.perUSD)) }
            #expect(report.description.hasPrefix("\(bank.source.rawValue.uppercased()): stored \(count) rate"))
        }
    }

    @Test func aBaseURLKeepsItsPathAndNBTGetsTheRefererItsPagesSend() async throws {
        try await withRig { rig in
            let path = "/nbt/en/kurs/export_xml.php?date=2026-05-18&export=xmlout"
            try rig.server.answer(path, fixture: "nbt-tj/export_xml_en_date_2026-05-18.xml")
            let report = await rig.fetcher([.nbt: rig.server.base("/nbt/")]).fetch(.nbt, on: rateDay("2026-05-18"), fetchedAt: rig.now)
            #expect(report.succeeded, "\(report)")
            #expect(rig.server.requests.map(\.path) == [path])
            #expect(rig.server.requests.first?.referer == "https://nbt.tj/ru/kurs/")
        }
    }

    // MARK: - Failures: nothing is written, the last good rate stays

    @Test func forbiddenIsNotRetriedAndStoresNothing() async throws {
        try await withRig { rig in
            try await rig.seedNBK()
            let before = try await rig.history()
            let path = "/rss/get_rates.cfm?fdate=07.04.2026"
            rig.server.answer(path, .status(403))
            let report = await rig.fetcher([.nbk: rig.server.base()]).fetch(.nbk, on: rateDay("2026-04-07"), fetchedAt: rig.now)
            let error = try #require(report.error)
            guard case .status(403, _) = error.kind else { Issue.record("expected a 403, got \(error)"); return }
            #expect(!error.isTransient)
            #expect(rig.server.requests(to: path).count == 1)
            #expect(report.requests == 1)
            #expect(error.description.contains("National Bank of Kazakhstan (NBK)"))
            #expect(error.description.contains("HTTP 403 Forbidden"))
            #expect(error.description.contains(rig.server.base() + path))
            // The last good rate stays, and by Tuesday a Wednesday rate is past NBK's schedule.
            #expect(report.lastGood == rateDay("2026-04-01"))
            #expect(report.lastGoodIsStale)
            #expect(report.description.contains("Nothing was stored; its last good rates (2026-04-01) stay, now stale."))
            #expect(try await rig.history() == before)
        }
    }

    @Test func aFailureTheNextDayIsNotYetStale() async throws {
        try await withRig { rig in
            try await rig.seedNBK()
            rig.server.answer("/rss/get_rates.cfm?fdate=02.04.2026", .status(403))
            let report = await rig.fetcher([.nbk: rig.server.base()]).fetch(.nbk, on: rateDay("2026-04-02"), fetchedAt: rig.now)
            #expect(!report.succeeded)
            #expect(report.lastGood == rateDay("2026-04-01"))
            #expect(!report.lastGoodIsStale)
        }
    }

    @Test func notFoundIsNotRetriedAndStoresNothing() async throws {
        try await withRig { rig in
            try await rig.seedNBK()
            let before = try await rig.history()
            // CBT has no file for Sundays.
            let path = "/kurs/2026/24052026.xml"
            rig.server.answer(path, .status(404))
            let report = await rig.fetcher([.cbt: rig.server.base()]).fetch(.cbt, on: rateDay("2026-05-24"), fetchedAt: rig.now)
            let error = try #require(report.error)
            guard case .status(404, _) = error.kind else { Issue.record("expected a 404, got \(error)"); return }
            #expect(rig.server.requests(to: path).count == 1)
            #expect(error.description.contains("Central Bank of Turkmenistan (CBT) answered HTTP 404 Not Found for"))
            #expect(report.lastGood == nil)
            #expect(try await rig.history() == before)
        }
    }

    @Test func aBankThatNeverAnswersTimesOutAndIsRetried() async throws {
        try await withRig { rig in
            try await rig.seedNBK()
            let before = try await rig.history()
            let path = "/en/kurs/export_xml.php?date=2026-05-20&export=xmlout"
            rig.server.answer(path, .silence)
            let started = ContinuousClock.now
            let report = await rig.fetcher([.nbt: rig.server.base()], timeout: .milliseconds(300))
                .fetch(.nbt, on: rateDay("2026-05-20"), fetchedAt: rig.now)
            let took = ContinuousClock.now - started
            let error = try #require(report.error)
            guard case .timedOut(let after) = error.kind else { Issue.record("expected a timeout, got \(error)"); return }
            #expect(after == .milliseconds(300))
            #expect(error.attempts == 2)
            // On a loaded machine a request can time out before it reaches the server, so only the client's count is exact.
            #expect((1...2).contains(rig.server.requests(to: path).count))
            #expect(error.description.contains("did not answer \(rig.server.base() + path) within 0.3 s (2 attempts)"))
            // Bounded far below the silent server's patience: the fetch gave up rather than waiting for an answer.
            #expect(took < .seconds(30))
            #expect(try await rig.history() == before)
        }
    }

    @Test func anHTMLPageWithStatus200IsRefusedWithoutRetrying() async throws {
        try await withRig { rig in
            try await rig.seedNBK()
            let before = try await rig.history()
            let page = "<!DOCTYPE html><html><head><title>Site under maintenance</title></head><body>Back soon</body></html>"
            rig.server.answer("/XML/daily.xml", .payload(Data(page.utf8), contentType: "text/html"))
            try rig.server.answer("/XML/weekly.xml", fixture: "nbkr-kg/weekly_2026-05-23.xml")
            let report = await rig.fetcher([.nbkr: rig.server.base()]).fetch(.nbkr, on: rateDay("2026-05-24"), fetchedAt: rig.now)
            let error = try #require(report.error)
            guard case .payload(let payload) = error.kind, case .htmlPage(let title) = payload.kind else {
                Issue.record("expected an HTML page error, got \(error)")
                return
            }
            #expect(title == "Site under maintenance")
            #expect(rig.server.requests(to: "/XML/daily.xml").count == 1)
            // The required daily file failed first, so the optional weekly one is not even asked for.
            #expect(rig.server.requests(to: "/XML/weekly.xml").isEmpty)
            #expect(try await rig.history() == before)
        }
    }

    /// A payload relabelled with the other encoding than its bytes have.
    struct EncodingCase: Sendable, CustomTestStringConvertible {
        let source: RateSource
        let path: String
        let fixture: String
        let declared: String
        let wrong: String
        let day: String

        var testDescription: String { "\(source.rawValue) declared \(wrong)" }

        static let all = [
            // windows-1251 bytes declared as UTF-8.
            EncodingCase(source: .cbr, path: "/scripts/XML_daily.asp?date_req=25/04/2026",
                         fixture: "cbr-ru/XML_daily_2026-04-25_cp1251.xml",
                         declared: "encoding=\"windows-1251\"", wrong: "encoding=\"utf-8\"", day: "2026-04-25"),
            // UTF-8 Cyrillic declared as windows-1251: decoding it would garble every name.
            EncodingCase(source: .nbk, path: "/rss/get_rates.cfm?fdate=03.04.2026",
                         fixture: "nbk-kz/get_rates_fdate_2026-04-03.xml",
                         declared: "encoding=\"utf-8\"", wrong: "encoding=\"windows-1251\"", day: "2026-04-03"),
        ]
    }

    @Test(arguments: EncodingCase.all)
    func aPayloadInTheWrongEncodingIsRefused(_ encoding: EncodingCase) async throws {
        try await withRig { rig in
            try await rig.seedNBK()
            let before = try await rig.history()
            let original = try Fixture.data(encoding.fixture)
            let relabelled = try #require(relabel(original, from: encoding.declared, to: encoding.wrong))
            rig.server.answer(encoding.path, .payload(relabelled, contentType: "text/xml"))
            let report = await rig.fetcher([encoding.source: rig.server.base()])
                .fetch(encoding.source, on: rateDay(encoding.day), fetchedAt: rig.now)
            let error = try #require(report.error)
            guard case .payload(let payload) = error.kind else { Issue.record("expected a payload error, got \(error)"); return }
            switch payload.kind {
            case .invalidBytes, .encodingMismatch: break
            default: Issue.record("expected an encoding error, got \(payload)")
            }
            #expect(rig.server.requests(to: encoding.path).count == 1)
            #expect(try await rig.history() == before)
        }
    }

    @Test func aPayloadForAnotherDayIsRefused() async throws {
        try await withRig { rig in
            try await rig.seedNBK()
            let before = try await rig.history()
            // Asked for Sunday the 5th, CBU answers with Friday the 3rd without saying so.
            let path = "/en/arkhiv-kursov-valyut/json/all/2026-04-05/"
            try rig.server.answer(path, fixture: "cbu-uz/json_all_en_2026-04-03.json", contentType: "application/json")
            let report = await rig.fetcher([.cbu: rig.server.base()]).fetch(.cbu, on: rateDay("2026-04-05"), fetchedAt: rig.now)
            let error = try #require(report.error)
            guard case .payload(let payload) = error.kind,
                  case .dateMismatch(let requested, let effective) = payload.kind else {
                Issue.record("expected a date mismatch, got \(error)")
                return
            }
            #expect(requested == rateDay("2026-04-05"))
            #expect(effective == rateDay("2026-04-03"))
            #expect(error.description.contains("is for 2026-04-03, not the requested 2026-04-05"))
            #expect(rig.server.requests(to: path).count == 1)
            #expect(try await rig.history() == before)
        }
    }

    @Test func aLaterDayIsRefusedEvenWhereEarlierOnesAreAllowed() async throws {
        try await withRig { rig in
            let path = "/scripts/XML_daily.asp?date_req=24/04/2026"
            try rig.server.answer(path, fixture: "cbr-ru/XML_daily_2026-04-25_cp1251.xml")
            let report = await rig.fetcher([.cbr: rig.server.base()]).fetch(.cbr, on: rateDay("2026-04-24"), fetchedAt: rig.now)
            #expect(!report.succeeded)
            #expect(try await rig.history().isEmpty)
        }
    }

    // MARK: - Retries

    @Test func a503IsRetriedAndTheSecondAnswerStored() async throws {
        try await withRig { rig in
            let path = "/en/arkhiv-kursov-valyut/json/all/2026-04-03/"
            rig.server.answer(path, .status(503),
                              .payload(try Fixture.data("cbu-uz/json_all_en_2026-04-03.json"), contentType: "application/json"))
            let report = await rig.fetcher([.cbu: rig.server.base()]).fetch(.cbu, on: rateDay("2026-04-03"), fetchedAt: rig.now)
            #expect(report.succeeded, "\(report)")
            #expect(report.requests == 2)
            #expect(rig.server.requests(to: path).count == 2)
            let uzs = try await rig.history().filter { $0.currency == .uzs && $0.source == .cbu }
            #expect(uzs.map(\.perUSD) == [exact("12149.84")])
        }
    }

    @Test func repeated5xxGivesUpAfterTheLastAttempt() async throws {
        try await withRig { rig in
            try await rig.seedNBK()
            let before = try await rig.history()
            let path = "/en/arkhiv-kursov-valyut/json/all/2026-04-03/"
            rig.server.answer(path, .status(502))
            let retry = RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(10), maxDelay: .milliseconds(40), totalBudget: .seconds(30))
            let report = await rig.fetcher([.cbu: rig.server.base()], retry: retry).fetch(.cbu, on: rateDay("2026-04-03"), fetchedAt: rig.now)
            let error = try #require(report.error)
            guard case .status(502, _) = error.kind else { Issue.record("expected a 502, got \(error)"); return }
            #expect(error.attempts == 3)
            #expect(rig.server.requests(to: path).count == 3)
            #expect(error.description.contains("(3 attempts): the bank's server is failing."))
            #expect(try await rig.history() == before)
        }
    }

    @Test func retryPauseDoublesUpToItsCap() {
        let policy = RetryPolicy(maxAttempts: 6, initialDelay: .seconds(2), multiplier: 2, maxDelay: .seconds(15))
        #expect((1...6).map(policy.delay(afterAttempt:)) == [2, 4, 8, 15, 15, 15].map { Duration.seconds($0) })
    }

    @Test func theRetryBudgetBoundsTheTotalTime() async throws {
        try await withRig { rig in
            let path = "/en/kurs/export_xml.php?date=2026-05-20&export=xmlout"
            rig.server.answer(path, .silence)
            // Room for two 300 ms attempts and a pause, not for the third attempt.
            let retry = RetryPolicy(maxAttempts: 5, initialDelay: .milliseconds(50), totalBudget: .milliseconds(700))
            let report = await rig.fetcher([.nbt: rig.server.base()], timeout: .milliseconds(300), retry: retry)
                .fetch(.nbt, on: rateDay("2026-05-20"), fetchedAt: rig.now)
            let error = try #require(report.error)
            #expect(error.attempts < 5)
            #expect(rig.server.requests(to: path).count <= error.attempts)
        }
    }

    @Test func noAttemptIsSqueezedIntoTheBudgetsLastMoments() async throws {
        try await withRig { rig in
            let path = "/en/kurs/export_xml.php?date=2026-05-20&export=xmlout"
            rig.server.answer(path, .silence)
            // After a 1 s timeout and a pause, 150 ms would be left: too little for a fair second attempt.
            let retry = RetryPolicy(maxAttempts: 5, initialDelay: .milliseconds(50), totalBudget: .milliseconds(1_200))
            let report = await rig.fetcher([.nbt: rig.server.base()], timeout: .seconds(1), retry: retry)
                .fetch(.nbt, on: rateDay("2026-05-20"), fetchedAt: rig.now)
            let error = try #require(report.error)
            #expect(error.attempts == 1)
            guard case .timedOut(let after) = error.kind else { Issue.record("expected a timeout, got \(error)"); return }
            #expect(after == .seconds(1))
        }
    }

    // MARK: - Several banks

    @Test func oneBankFailingNeverStopsTheOthers() async throws {
        try await withRig { rig in
            rig.server.answer("/nbk/rss/get_rates.cfm?fdate=03.04.2026", .status(403))
            try rig.server.answer("/cbu/en/arkhiv-kursov-valyut/json/all/2026-04-03/", fixture: "cbu-uz/json_all_en_2026-04-03.json")
            rig.server.answer("/nbt/en/kurs/export_xml.php?date=2026-04-03&export=xmlout", .status(500))
            let fetcher = rig.fetcher([.nbk: rig.server.base("/nbk"), .cbu: rig.server.base("/cbu"), .nbt: rig.server.base("/nbt")])
            let report = await fetcher.fetch([.nbk, .cbu, .nbt, .cbu], on: rateDay("2026-04-03"), fetchedAt: rig.now)
            #expect(report.sources.map(\.source) == [.nbk, .cbu, .nbt])
            #expect(report[.cbu]?.succeeded == true)
            #expect(report[.nbk]?.succeeded == false)
            #expect(report[.nbt]?.succeeded == false)
            #expect(!report.allFailed)
            #expect(Set(try await rig.history().map(\.source)) == [.cbu])
            let lines = report.description.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("NBK: failed: "))
            #expect(lines[1].hasPrefix("CBU: stored "))
            #expect(lines[2].hasPrefix("NBT: failed: "))
        }
    }

    @Test func anOptionalFileFailingIsNotedAndTheRestStored() async throws {
        try await withRig { rig in
            try rig.server.answer("/XML/daily.xml", fixture: "nbkr-kg/daily_2026-05-24.xml")
            rig.server.answer("/XML/weekly.xml", .status(404))
            let report = await rig.fetcher([.nbkr: rig.server.base()]).fetch(.nbkr, on: rateDay("2026-05-24"), fetchedAt: rig.now)
            #expect(report.succeeded)
            #expect(report.notes.count == 1)
            #expect(report.notes.first?.hasPrefix("weekly.xml left out: ") == true)
            #expect(report.description.contains("(weekly.xml left out: "))
            let kgs = try await rig.history().filter { $0.currency == .kgs && $0.source == .nbkr && !$0.isCross }
            #expect(kgs.map(\.perUSD) == [exact("87.45")])
        }
    }

    @Test func everyBankFailingIsReportedAsSuch() async throws {
        try await withRig { rig in
            // Nothing is registered, so the server answers 404 everywhere.
            let bases = Dictionary(uniqueKeysWithValues: RateSource.allCases.map { ($0, rig.server.base()) })
            let report = await rig.fetcher(bases).fetch(RateSource.allCases, on: rateDay("2026-04-03"), fetchedAt: rig.now)
            #expect(report.allFailed)
            #expect(report.sources.count == RateSource.allCases.count)
            let history = try await rig.history()
            #expect(history.isEmpty)
        }
    }

    @Test func anUnreachableBankFailsWithoutStoring() async throws {
        try await withRig { rig in
            try await rig.seedNBK()
            let before = try await rig.history()
            // Nothing listens on port 9 of the loopback interface (discard), so the connection fails.
            let report = await rig.fetcher([.nbk: "http://127.0.0.1:9"], timeout: .milliseconds(300))
                .fetch(.nbk, on: rateDay("2026-04-03"), fetchedAt: rig.now)
            #expect(!report.succeeded)
            #expect(report.requests >= 1)
            #expect(try await rig.history() == before)
        }
    }

    // MARK: - Addresses of the real feeds

    @Test func realAddressesFollowEachBanksScheme() {
        let day = rateDay("2026-04-03")
        let expected: [RateSource: [String]] = [
            .nbk: ["https://nationalbank.kz/rss/get_rates.cfm?fdate=03.04.2026"],
            .nbkr: ["https://www.nbkr.kg/XML/daily.xml", "https://www.nbkr.kg/XML/weekly.xml"],
            .nbt: ["https://www.nbt.tj/en/kurs/export_xml.php?date=2026-04-03&export=xmlout"],
            .cbu: ["https://cbu.uz/en/arkhiv-kursov-valyut/json/all/2026-04-03/"],
            .cbt: ["https://cbt.tm/kurs/2026/03042026.xml"],
            .cbr: ["https://www.cbr.ru/scripts/XML_daily.asp?date_req=03/04/2026"],
        ]
        for source in RateSource.allCases {
            let feed = RateFeed.standard(for: source)
            #expect(feed.documents(for: day).map { feed.origin + $0.path } == expected[source], "\(source)")
        }
        #expect(RateFeed.standard(for: .nbkr).documents(for: day).map(\.isRequired) == [true, false])
        #expect(RateFeed.standard(for: .cbt).needsBrowserUserAgent)
    }

    // MARK: - The poller

    @Test func pollerFetchesAtStartAndStopsPromptlyOnShutdown() async throws {
        try await withRig { rig in
            try rig.server.answer("/en/arkhiv-kursov-valyut/json/all/2026-04-02/", fixture: "cbu-uz/json_all_en_2026-04-02.json")
            let (reports, continuation) = AsyncStream.makeStream(of: RateFetchReport.self)
            // 10:00 in Almaty on 2 April: the next slot, 13:30, is hours away.
            let now = Date(timeIntervalSince1970: 1_775_106_000)
            let poller = RatesPoller(
                fetcher: rig.fetcher([.cbu: rig.server.base()]), schedule: try RatesSchedule(parsing: "09:30,13:30", timeZone: almaty),
                sources: [.cbu], clock: { now }, logger: quietLogger, onRun: { continuation.yield($0) })
            let group = ServiceGroup(services: [poller], logger: quietLogger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = reports.makeAsyncIterator()
                let first = try #require(await iterator.next())
                #expect(first.day == rateDay("2026-04-02"))
                #expect(first[.cbu]?.succeeded == true)
                let stopping = ContinuousClock.now
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                // The next slot is hours away, so returning at all shows the sleep was cut short; the bound only
                // guards against a hang, and is loose because CI machines are busy.
                #expect(ContinuousClock.now - stopping < .seconds(60))
            }
            #expect(try await rig.history().contains { $0.source == .cbu && $0.effectiveDate == rateDay("2026-04-02") })
        }
    }

    @Test func instancesSharingALeaseFetchEachScheduledRunOnce() async throws {
        try await withRig { rig in
            let path = "/en/arkhiv-kursov-valyut/json/all/2026-04-02/"
            try rig.server.answer(path, fixture: "cbu-uz/json_all_en_2026-04-02.json")
            // The job table is shared, as it is when several instances use one database.
            let lease = SQLiteJobLease(database: try SQLiteDatabase.inMemory())
            let now = Date(timeIntervalSince1970: 1_775_106_000)
            let (runs, continuation) = AsyncStream.makeStream(of: String.self)
            let pollers = try ["one", "two", "three"].map { name in
                RatesPoller(
                    fetcher: rig.fetcher([.cbu: rig.server.base()]), schedule: try RatesSchedule(parsing: "09:30,13:30", timeZone: almaty),
                    sources: [.cbu], clock: { now }, logger: quietLogger, lease: lease, holder: name,
                    onRun: { _ in continuation.yield(name) })
            }
            let group = ServiceGroup(services: pollers, logger: quietLogger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = runs.makeAsyncIterator()
                _ = try #require(await iterator.next())
                // Give the other two every chance to fetch as well; they must not.
                try await Task.sleep(for: .milliseconds(500))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            continuation.finish()
            var others = 0
            for await _ in runs { others += 1 }
            #expect(others == 0, "only one instance fetched the 09:30 run")
            #expect(rig.server.requests(to: path).count == 1)
        }
    }

    // MARK: - Helpers

    /// A local bank server, an HTTP client, an empty in-memory database and the desk over it.
    struct Rig {
        let server: FeedServer
        let client: HTTPClient
        let store: SQLiteRateStore
        let desk: RateDesk
        let now = Date(timeIntervalSince1970: 1_775_000_000)

        /// A fetcher aimed at the local server, with quick retries. The timeout is generous unless a test is about
        /// timeouts, so that a busy machine running the whole suite does not turn a slow answer into a failure.
        func fetcher(_ bases: [RateSource: String], timeout: Duration = .seconds(10), retry: RetryPolicy = quickRetry) -> RateFetcher {
            RateFetcher(
                client: client, desk: desk,
                configuration: RateFetcher.Configuration(requestTimeout: timeout, retry: retry, baseURLs: bases),
                logger: quietLogger)
        }

        /// Stores NBK's rates of 1 April 2026, the known good history the failures must leave alone.
        func seedNBK() async throws {
            try await desk.store([try Fixture.publication("nbk-kz/get_rates_fdate_2026-04-01.xml", .nbk)], fetchedAt: now)
            #expect(try await store.count() > 0)
        }

        /// Every stored rate.
        func history() async throws -> [Rate] {
            try await store.recent(through: rateDay("2099-12-31"), days: 40_000)
        }
    }

    // A wide budget: under a full parallel test run the first answer alone has taken seconds.
    static let quickRetry = RetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(20), totalBudget: .seconds(60))

    private func withRig(_ body: (Rig) async throws -> Void) async throws {
        try await FeedServer.run { server in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let store = SQLiteRateStore(database: try SQLiteDatabase.inMemory())
            let rig = Rig(server: server, client: client, store: store, desk: RateDesk(store: store, timeZone: almaty))
            do {
                try await body(rig)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}

private let almaty = TimeZone(identifier: "Asia/Almaty")!

private let quietLogger: Logger = {
    var logger = Logger(label: "fetcher-tests")
    logger.logLevel = .critical
    return logger
}()

/// The bytes with the first `from` in the XML declaration replaced by `to`; nil when it is not there.
private func relabel(_ data: Data, from: String, to: String) -> Data? {
    let bytes = [UInt8](data)
    let needle = [UInt8](from.utf8)
    guard bytes.count >= needle.count,
          let start = (0...(bytes.count - needle.count)).first(where: { Array(bytes[$0..<$0 + needle.count]) == needle })
    else { return nil }
    return Data(bytes[..<start] + [UInt8](to.utf8) + bytes[(start + needle.count)...])
}
