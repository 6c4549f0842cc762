import CaravanApp
import CaravanStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The composition root as `caravan serve` runs it: a configuration, a real database file, the demo.
@Suite struct SiteServerTests {
    @Test func aConfiguredServerOnANewFileServesTheDemoToReadersAndTheNewsroom() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var flags = ServeFlags()
        flags.database = "sqlite:" + folder.appendingPathComponent("site.sqlite").path
        flags.demo = true
        flags.siteURL = "https://caravan.example"
        flags.perPage = 3
        let configuration = try ServeConfiguration(flags, environment: [:])
        try await Stores.with(configuration.database, timeZone: configuration.site.timeZone) { stores in
            let app = try await SiteServer.application(configuration, stores: stores, client: nil, logger: .init(label: "test"))
            try await app.test(.router) { client in
                let home = try await client.execute(uri: "/", method: .get)
                #expect(home.status == .ok)
                // The newest demo story, as the content API names it, is on the home page.
                let latest = try await client.execute(uri: "/api/v1/articles?per_page=1", method: .get)
                let list = try JSONSerialization.jsonObject(with: Data(buffer: latest.body)) as? [String: Any]
                let first = (list?["articles"] as? [[String: Any]])?.first?["title"] as? String
                #expect(first != nil)
                #expect(String(buffer: home.body).contains(first ?? "no story"))
                let feed = try await client.execute(uri: "/feed.xml", method: .get)
                #expect(String(buffer: feed.body).contains("https://caravan.example/articles/"), "feeds use the configured address")
                let listing = try await client.execute(uri: "/sections/economy", method: .get)
                #expect(listing.status == .ok)
                let admin = try await client.execute(uri: "/admin/articles", method: .get)
                #expect(admin.status == .seeOther && admin.headers[.location]?.hasPrefix("/admin/login") == true, "the newsroom is mounted and sends a stranger to sign in")
                let rates = try await client.execute(uri: "/api/v1/rates", method: .get)
                #expect(String(buffer: rates.body).contains("KZT"), "the demo's rates are installed")
            }
            #expect(try await stores.articles.count() > 0, "the demo stories are stored in the file")
        }
    }
}
