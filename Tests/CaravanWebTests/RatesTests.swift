import CaravanCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The demo holds real payloads of every bank (April and May 2026); these tests read them as a reader and a client would.
@Suite("Exchange rates: ticker, page, CSV and API")
struct RatesTests {
    func rates(_ client: any TestClientProtocol, date: String) async throws -> [String: [String: Any]] {
        let response = try await client.get("/api/v1/rates?date=\(date)")
        #expect(response.status == .ok)
        let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as! [String: Any]
        #expect(json["base"] as? String == "USD")
        let list = json["rates"] as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: list.map { ($0["currency"] as! String, $0) })
    }

    @Test func nbkrGivesKGSAndItsInverse() async throws {
        try await withSite(demo: true) { client, _ in
            let kgs = try await rates(client, date: "2026-05-24")["KGS"]!
            #expect((kgs["per_usd"] as! NSNumber).decimalValue == Decimal(string: "87.45"))
            #expect((kgs["usd_per_unit"] as! NSNumber).decimalValue == Decimal(string: "0.011435"))
            #expect(kgs["source"] as? String == "nbkr")
            #expect(kgs["date"] as? String == "2026-05-24")
        }
    }

    @Test func nbkChangeIsComputedAtFullPrecision() async throws {
        try await withSite(demo: true) { client, _ in
            let kzt = try await rates(client, date: "2026-04-02")["KZT"]!
            #expect((kzt["per_usd"] as! NSNumber).decimalValue == Decimal(string: "475.09"))
            #expect((kzt["change_pct"] as! NSNumber).decimalValue == Decimal(string: "-0.7686"))
            #expect(kzt["previous_date"] as? String == "2026-04-01")
            #expect(kzt["stale"] as? Bool == false)
        }
    }

    @Test func cbuGivesUZSAfterThreeDays() async throws {
        try await withSite(demo: true) { client, _ in
            let uzs = try await rates(client, date: "2026-04-03")["UZS"]!
            #expect((uzs["per_usd"] as! NSNumber).decimalValue == Decimal(string: "12149.84"))
            #expect((uzs["change_pct"] as! NSNumber).decimalValue == Decimal(string: "0.0637"))
        }
    }

    @Test func theCBUManatOutlierIsHeldBack() async throws {
        try await withSite(demo: true) { client, _ in
            let tmt = try await rates(client, date: "2026-04-01")["TMT"]!
            #expect((tmt["per_usd"] as! NSNumber).decimalValue == Decimal(string: "3.5"))
            #expect(tmt["source"] as? String == "cbt")
        }
    }

    @Test func tickerIsOnEveryPageOnceWithReadableNumbersAndChanges() async throws {
        try await withSite(demo: true, now: Date(timeIntervalSince1970: 1_779_580_800)) { client, _ in  // 24 May 2026
            for path in ["/", "/countries/kazakhstan", "/search?q=water"] {
                let page = try await client.get(path)
                #expect(page.body.components(separatedBy: "<ul class=\"ticker-list\">").count == 2, "\(path)")
                #expect(page.body.contains("1 USD = 87.45 KGS"))
                #expect(page.body.contains("of 24 May 2026"))
            }
            let home = try await client.get("/")
            #expect(home.body.contains("<span class=\"rate-change\" aria-label=\"unchanged since 22 May 2026\"><span aria-hidden=\"true\">▬</span> 0.00 %</span>"))
            #expect(!home.body.contains("-0 %") && !home.body.contains("−0.00 %") && !home.body.contains("-0.00"))
        }
    }

    @Test func tickerCanPrintTheOtherDirectionWithFourSignificantDigits() async throws {
        try await withSite(demo: true, now: Date(timeIntervalSince1970: 1_779_580_800), direction: .usdPerUnit) { client, _ in
            let home = try await client.get("/")
            #expect(home.body.contains("KGS/USD 0.01144"))
            #expect(home.body.contains("UZS/USD 0.00008"))
            #expect(!home.body.contains("UZS/USD 0.00008<"), "the sum needs at least four significant digits")
        }
    }

    @Test func staleRatesAreBadgedNotHidden() async throws {
        try await withSite(demo: true, now: Date(timeIntervalSince1970: 1_795_932_000)) { client, _ in  // 29 November 2026: months after the payloads
            let home = try await client.get("/")
            #expect(home.body.contains("<span class=\"badge\">stale</span>"))
        }
    }

    @Test func ratesPageHasTableChartsAndCSV() async throws {
        try await withSite(demo: true, now: Date(timeIntervalSince1970: 1_779_580_800)) { client, _ in
            let page = try await client.get("/rates")
            #expect(page.status == .ok)
            #expect(page.body.components(separatedBy: "<tr class=\"rate-").count - 1 == 5)
            #expect(page.body.components(separatedBy: "<svg viewBox").count - 1 == 5)
            #expect(page.body.contains("<polyline class=\"line\" points=\""))
            #expect(page.body.contains("National Bank of the Kyrgyz Republic"))
            let csv = try await client.get("/rates.csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.body.hasPrefix("date,currency,per_usd,usd_per_unit,source,cross_via\r\n"))
            #expect(csv.body.contains("2026-05-24,KGS,87.45,"))
        }
    }

    @Test func historyEndpoint() async throws {
        try await withSite(demo: true) { client, _ in
            let response = try await client.get("/api/v1/rates/kzt/history?from=2026-04-01&to=2026-04-03")
            let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as! [String: Any]
            #expect(json["currency"] as? String == "KZT")
            let points = json["points"] as! [[String: Any]]
            #expect(points.map { $0["date"] as! String } == ["2026-04-01", "2026-04-02", "2026-04-03"])
            #expect((points[0]["per_usd"] as! NSNumber).decimalValue == Decimal(string: "478.77"))
            let unknown = try await client.get("/api/v1/rates/xyz/history")
            #expect(unknown.status == .notFound)
            #expect(unknown.body.contains("\"code\":\"not_found\""))
            let bad = try await client.get("/api/v1/rates?date=24.05.2026")
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("date must be a date written YYYY-MM-DD"))
        }
    }

    @Test func anEmptyRatesTableLeavesPagesWorking() async throws {
        try await withSite(stories: [story("a", title: "No rates yet")]) { client, _ in
            let home = try await client.get("/")
            #expect(home.status == .ok)
            #expect(!home.body.contains("ticker-list"))
            let page = try await client.get("/rates")
            #expect(page.status == .ok)
            #expect(page.body.contains("No rates have been published yet."))
            let api = try await client.get("/api/v1/rates")
            #expect(api.body.contains("\"rates\":[]"))
        }
    }
}
