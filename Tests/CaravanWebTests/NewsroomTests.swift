import CaravanCore
import CaravanSQLite
import CaravanStorage
import CaravanWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@Suite("The newsroom")
struct NewsroomTests {
    @Test("a stranger is sent to the sign-in page, whose form carries a token")
    func strangerIsSentToSignIn() async throws {
        try await withNewsroom { client, _ in
            let browser = Browser(client)
            let list = try await browser.get("/admin/articles?status=draft")
            #expect(list.status == .seeOther)
            #expect(list.location?.hasPrefix("/admin/login?next=") == true)
            let login = try await browser.get("/admin/login")
            #expect(login.status == .ok)
            #expect(login.body.contains("name=\"email\""))
            #expect(login.body.contains("name=\"password\""))
            #expect(browser.csrf?.count ?? 0 >= 32)
            #expect(login.headers[.cacheControl] == "no-store")
            #expect(login.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            // With no accounts yet, the page says how to make the first admin.
            #expect(login.body.contains("caravan user add"))
        }
    }

    @Test("the whole life of a story: draft, refused, published, corrected, restored, taken down")
    func lifeOfAStory() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("aigerim@caravan.test", .author, name: "Aigerim Sadykova")
            try await newsroom.person("editor@caravan.test", .editor, name: "Timur Bekov")

            // An author writes a draft.
            let author = Browser(client)
            #expect(try await author.signIn("aigerim@caravan.test").status == .seeOther)
            _ = try await author.get("/admin/articles/new")
            let created = try await author.post(
                "/admin/articles",
                storyFields(
                    title: "Herders return to the Suusamyr valley",
                    body: "The **herders** came back with their flocks in June.",
                    countries: ["KG"], tags: "Pastures, Livestock"))
            #expect(created.status == .seeOther)
            let id = try #require(storyID(from: created.location))
            let draft = try #require(try await newsroom.stories.story(id: Article.ID(id)))
            #expect(draft.article.status == .draft)
            let slug = draft.article.slug
            #expect(slug == "herders-return-to-the-suusamyr-valley")
            #expect(try await client.get("/articles/\(slug)").status == .notFound)

            // The author may not publish it: refused, nothing changes, the text is still in the form.
            let editPage = try await author.get("/admin/articles/\(id)")
            #expect(editPage.status == .ok)
            #expect(!editPage.body.contains("value=\"publish\""))
            let refused = try await author.post(
                "/admin/articles/\(id)",
                storyFields(
                    title: "Herders return to the Suusamyr valley", body: "Edited by the author.", intent: "publish",
                    revision: 1))
            #expect(refused.status == .forbidden)
            #expect(refused.body.contains("Authors cannot publish"))
            #expect(refused.body.contains("Edited by the author."))
            #expect(try await newsroom.stories.story(id: Article.ID(id))?.article.status == .draft)
            #expect(try await client.get("/articles/\(slug)").status == .notFound)

            // An editor publishes it: it is on the home page, in search, in the feed and on its own page.
            let editor = Browser(client)
            #expect(try await editor.signIn("editor@caravan.test").status == .seeOther)
            _ = try await editor.get("/admin/articles/\(id)")
            let published = try await editor.post(
                "/admin/articles/\(id)",
                storyFields(
                    title: "Herders return to the Suusamyr valley",
                    body: "The **herders** came back with their flocks in June.",
                    intent: "publish", countries: ["KG"], tags: "Pastures, Livestock", revision: 1))
            #expect(published.status == .seeOther)
            #expect(published.location == "/admin/articles/\(id)?notice=published")
            #expect(try await client.get("/").body.contains("Herders return to the Suusamyr valley"))
            let search = try await client.get("/search?q=herder")
            #expect(search.body.contains("/articles/\(slug)"))
            #expect(try await client.get("/feed.xml").body.contains("Herders return to the Suusamyr valley"))
            let page = try await client.get("/articles/\(slug)")
            #expect(page.status == .ok)
            #expect(page.body.contains("<strong>herders</strong>"))
            #expect(!page.body.contains("Updated"))

            // A correction: the page shows the new text and its update time, and a revision records it.
            _ = try await editor.get("/admin/articles/\(id)")
            let corrected = try await editor.post(
                "/admin/articles/\(id)",
                storyFields(
                    title: "Herders return to the Suusamyr valley",
                    body: "The herders came back with their flocks in early July.",
                    countries: ["KG"], tags: "Pastures, Livestock", revision: 2))
            #expect(corrected.status == .seeOther)
            let revisions = try await newsroom.stories.revisions(of: Article.ID(id))
            #expect(revisions.map(\.number) == [3, 2, 1])
            #expect(revisions[0].changed == [.body])
            #expect(revisions[0].editorName == "Timur Bekov")

            // The revisions page compares them; restoring the first brings its words back.
            let history = try await editor.get("/admin/articles/\(id)/revisions")
            #expect(history.status == .ok)
            #expect(history.body.contains("Aigerim Sadykova"))
            let compare = try await editor.get("/admin/articles/\(id)/compare?from=1&to=3")
            #expect(compare.body.contains("<del>"))
            #expect(compare.body.contains("<ins>"))
            #expect(compare.body.contains("July"))
            let restored = try await editor.post("/admin/articles/\(id)/revisions/1/restore", [])
            #expect(restored.status == .seeOther)
            let afterRestore = try #require(try await newsroom.stories.story(id: Article.ID(id)))
            #expect(afterRestore.article.body == "The **herders** came back with their flocks in June.")
            #expect(afterRestore.article.status == .published)
            #expect(try await newsroom.stories.revisions(of: Article.ID(id)).first?.restoredFrom == 1)
            #expect(try await client.get("/articles/\(slug)").body.contains("in June"))

            // Taken down: gone from every public page, feed, sitemap and API answer at once.
            _ = try await editor.get("/admin/articles/\(id)")
            let down = try await editor.post("/admin/articles/\(id)", [("intent", "unpublish")])
            #expect(down.status == .seeOther)
            #expect(try await client.get("/articles/\(slug)").status == .notFound)
            for path in [
                "/", "/search?q=herders", "/feed.xml", "/atom.xml", "/feed.json", "/countries/kyrgyzstan",
                "/tags/pastures", "/api/v1/articles", "/api/v1/search?q=herders", "/sitemap.xml",
            ] {
                let answer = try await client.get(path)
                #expect(!answer.body.contains("Suusamyr"), "\(path) still shows the story")
            }
            #expect(try await client.get("/api/v1/articles/\(slug)").status == .notFound)
            // The newsroom still has every word.
            #expect(try await newsroom.stories.story(id: Article.ID(id))?.article.status == .unpublished)
        }
    }

    @Test("a form without the session's token is refused with 403 and changes nothing")
    func forgedFormsAreRefused() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("editor@caravan.test", .editor)
            let editor = Browser(client)
            _ = try await editor.signIn("editor@caravan.test")
            let before = try await newsroom.store.count()
            for token: String? in [nil, "", "not-the-token"] {
                let forged = try await editor.post(
                    "/admin/articles", storyFields(title: "Forged", body: "Nope."), csrf: .some(token))
                #expect(forged.status == .forbidden)
                // The text that came with it is shown, not lost.
                #expect(forged.body.contains("Nope."))
            }
            #expect(try await newsroom.store.count() == before)
            // Sign-in forms are guarded too, by the token in their own cookie.
            let stranger = Browser(client)
            _ = try await stranger.get("/admin/login")
            let login = try await stranger.post(
                "/admin/login", [("email", "editor@caravan.test"), ("password", NewsroomFixture.password)],
                csrf: .some("forged"))
            #expect(login.status == .forbidden)
            #expect(stranger.cookies["caravan_session"] == nil)
            // State never changes on GET: signing out answers only POST, and says so.
            let link = try await editor.get("/admin/logout")
            #expect(link.status == .methodNotAllowed)
            #expect(link.headers[.allow] == "POST")
        }
    }

    @Test("five wrong passwords lock the address out, even for the right one")
    func signInIsThrottled() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("editor@caravan.test", .editor)
            let browser = Browser(client)
            var statuses: [HTTPResponse.Status] = []
            for _ in 1...5 {
                statuses.append(try await browser.signIn("editor@caravan.test", password: "wrong password!").status)
            }
            #expect(statuses.prefix(4).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
            let locked = try await browser.signIn("Editor@Caravan.test")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.contains("Too many failed sign-ins"))
            #expect(locked.headers[.retryAfter] != nil)
            #expect(browser.cookies["caravan_session"] == nil)
            // Another address is not affected.
            try await newsroom.person("author@caravan.test", .author)
            #expect(try await Browser(client).signIn("author@caravan.test").status == .seeOther)
        }
    }

    @Test("the session cookie is HttpOnly, SameSite=Lax, scoped to /admin, and Secure behind https")
    func sessionCookieFlags() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("editor@caravan.test", .editor)
            let plain = try await Browser(client).signIn("editor@caravan.test")
            let cookie = try #require(plain.setCookies.first { $0.hasPrefix("caravan_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Path=/admin"))
            #expect(!cookie.contains("Secure"))
            let proxied = Browser(client)
            var https = HTTPFields()
            https[.init("X-Forwarded-Proto")!] = "https"
            _ = try await proxied.get("/admin/login", headers: https)
            let behindProxy = try await proxied.post(
                "/admin/login", [("email", "editor@caravan.test"), ("password", NewsroomFixture.password)],
                headers: https)
            #expect(behindProxy.setCookies.first { $0.hasPrefix("caravan_session=") }?.contains("Secure") == true)
        }
        try await withNewsroom(siteURL: "https://caravan.example") { client, newsroom in
            try await newsroom.person("editor@caravan.test", .editor)
            let signedIn = try await Browser(client).signIn("editor@caravan.test")
            #expect(signedIn.setCookies.first { $0.hasPrefix("caravan_session=") }?.contains("Secure") == true)
        }
    }

    @Test("a session past half its life is renewed while the person works; the old one keeps working until it ends")
    func sessionsAreRenewed() async throws {
        // The newsroom's clock, moved by hand: sessions last 12 hours.
        let now = Mutex(Date())
        try await withNewsroom(clock: { now.withLock { $0 } }) { client, newsroom in
            try await newsroom.person("editor@caravan.test", .editor)
            let browser = Browser(client)
            _ = try await browser.signIn("editor@caravan.test")
            let first = try #require(browser.cookies["caravan_session"])
            // Fresh: nothing to renew.
            let early = try await browser.get("/admin/articles")
            #expect(early.setCookies.isEmpty)
            let token = browser.csrf
            now.withLock { $0 += 7 * 3600 }
            let later = try await browser.get("/admin/articles")
            #expect(later.status == .ok)
            let renewed = try #require(later.setCookies.first { $0.hasPrefix("caravan_session=") })
            #expect(renewed.contains("HttpOnly"))
            let second = try #require(browser.cookies["caravan_session"])
            #expect(second != first)
            // The renewed session carries the same form token, so a form opened before still posts.
            #expect(browser.csrf == token)
            #expect(try await client.get("/admin/articles", headers: [.cookie: "caravan_session=\(first)"]).status == .ok)
            // Thirteen hours after signing in the first session is over; the renewed one goes on.
            now.withLock { $0 += 6 * 3600 }
            #expect(try await client.get("/admin/articles", headers: [.cookie: "caravan_session=\(first)"]).status == .seeOther)
            #expect(try await browser.get("/admin/articles").status == .ok)
        }
    }

    @Test("signing out ends the session in the database")
    func signOut() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("editor@caravan.test", .editor)
            let browser = Browser(client)
            _ = try await browser.signIn("editor@caravan.test")
            let session = try #require(browser.cookies["caravan_session"])
            _ = try await browser.get("/admin/articles")
            let out = try await browser.post("/admin/logout", [])
            #expect(out.status == .seeOther)
            // The old cookie, replayed, no longer opens the newsroom.
            let replay = try await client.get("/admin/articles", headers: [.cookie: "caravan_session=\(session)"])
            #expect(replay.status == .seeOther)
        }
    }

    @Test("sessions live in the database: they survive a restart and work on another instance")
    func sessionsSurviveRestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caravan-sessions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("caravan.sqlite").path
        let first = NewsroomFixture(database: try SQLiteDatabase.open(path: path))
        try await first.person("editor@caravan.test", .editor)
        let cookie = try await buildApplication(first.dependencies()).test(.router) { client in
            let browser = Browser(client)
            _ = try await browser.signIn("editor@caravan.test")
            return try #require(browser.cookies["caravan_session"])
        }
        let second = NewsroomFixture(database: try SQLiteDatabase.open(path: path))
        try await buildApplication(second.dependencies()).test(.router) { client in
            let list = try await client.get("/admin/articles", headers: [.cookie: "caravan_session=\(cookie)"])
            #expect(list.status == .ok)
            #expect(list.body.contains("Sign out"))
        }
    }

    @Test("a form posted after the session ended is not lost: the sign-in page shows its text")
    func expiredSessionKeepsText() async throws {
        try await withNewsroom { client, _ in
            let browser = Browser(client)
            let answer = try await browser.post(
                "/admin/articles", storyFields(title: "Late night copy", body: "Every word of this matters."),
                csrf: .some("old"))
            #expect(answer.status == .unauthorized)
            #expect(answer.body.contains("Every word of this matters."))
            #expect(answer.body.contains("name=\"password\""))
        }
    }

    @Test("two editors at once: the later save is refused with both texts kept")
    func concurrentEditsConflict() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("one@caravan.test", .editor)
            try await newsroom.person("two@caravan.test", .editor)
            let one = Browser(client)
            let two = Browser(client)
            _ = try await one.signIn("one@caravan.test")
            _ = try await two.signIn("two@caravan.test")
            _ = try await one.get("/admin/articles/new")
            let created = try await one.post("/admin/articles", storyFields(title: "Budget vote", body: "First draft."))
            let id = try #require(storyID(from: created.location))
            _ = try await two.get("/admin/articles/\(id)")
            _ = try await one.get("/admin/articles/\(id)")
            #expect(
                try await one.post(
                    "/admin/articles/\(id)", storyFields(title: "Budget vote", body: "One's words.", revision: 1)
                ).status == .seeOther)
            let late = try await two.post(
                "/admin/articles/\(id)", storyFields(title: "Budget vote", body: "Two's words.", revision: 1))
            #expect(late.status == .conflict)
            #expect(late.body.contains("Two&#39;s words.") || late.body.contains("Two's words."))
            #expect(try await newsroom.stories.story(id: Article.ID(id))?.article.body == "One's words.")
        }
    }

    @Test("the preview renders the Markdown without saving anything")
    func preview() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("author@caravan.test", .author)
            let author = Browser(client)
            _ = try await author.signIn("author@caravan.test")
            _ = try await author.get("/admin/articles/new")
            let preview = try await author.post(
                "/admin/articles",
                storyFields(title: "Preview me", body: "## A heading\n\nSome *slanted* words.", intent: "preview"))
            #expect(preview.status == .ok)
            #expect(preview.body.contains("<h2>A heading</h2>"))
            #expect(preview.body.contains("<em>slanted</em>"))
            #expect(try await newsroom.store.count() == 0)
        }
    }

    @Test("the story form loads the live-preview script from our own origin; the list filters by byline")
    func liveScriptAndBylineFilter() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("editor@caravan.test", .editor)
            _ = try await newsroom.store.save([
                ArticleSubmission(id: "imported", title: "Imported story", body: "Text.", author: "Bakyt Osmonov")
            ])
            let editor = Browser(client)
            _ = try await editor.signIn("editor@caravan.test")
            let form = try await editor.get("/admin/articles/new")
            let script = try #require(
                form.body.range(of: "<script src=\"").map { start in
                    String(form.body[start.upperBound...].prefix(while: { $0 != "\"" }))
                })
            #expect(script.hasPrefix("/static/newsroom.js?v="))
            let asset = try await client.get(script)
            #expect(asset.status == .ok)
            #expect(asset.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(asset.body.contains("intent"))
            let list = try await editor.get("/admin/articles?author=bakyt-osmonov")
            #expect(list.body.contains("<option value=\"bakyt-osmonov\" selected>Bakyt Osmonov</option>"))
            #expect(list.body.contains("Imported story"))
            #expect(resultRange(in: list.body)?.total == 1)
        }
    }

    @Test("a published story whose address changes redirects from the old one")
    func slugRedirect() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("editor@caravan.test", .editor)
            let editor = Browser(client)
            _ = try await editor.signIn("editor@caravan.test")
            _ = try await editor.get("/admin/articles/new")
            let created = try await editor.post(
                "/admin/articles", storyFields(title: "Тарифы на воду", body: "Текст.", intent: "publish"))
            let id = try #require(storyID(from: created.location))
            let first = try #require(try await newsroom.stories.story(id: Article.ID(id)))
            #expect(first.article.slug == "tarify-na-vodu")
            _ = try await editor.get("/admin/articles/\(id)")
            _ = try await editor.post(
                "/admin/articles/\(id)",
                storyFields(title: "Тарифы на воду", body: "Текст.", slug: "water-tariffs", revision: first.revision))
            let moved = try await client.get("/articles/tarify-na-vodu")
            #expect(moved.status == .movedPermanently)
            #expect(moved.headers[.location] == "/articles/water-tariffs")
            #expect(try await client.get("/articles/water-tariffs").status == .ok)
        }
    }

    @Test("a scheduled story is not public until its time")
    func schedulingFromTheForm() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("editor@caravan.test", .editor)
            let editor = Browser(client)
            _ = try await editor.signIn("editor@caravan.test")
            _ = try await editor.get("/admin/articles/new")
            let later = StoryForm.localTimeText(
                Date().addingTimeInterval(3600), timeZone: TimeZone(identifier: "Asia/Almaty")!)
            let scheduled = try await editor.post(
                "/admin/articles",
                storyFields(title: "Embargoed figures", body: "Out at noon.", intent: "schedule", publishAt: later))
            #expect(scheduled.status == .seeOther)
            let id = try #require(storyID(from: scheduled.location))
            let story = try #require(try await newsroom.stories.story(id: Article.ID(id)))
            #expect(story.article.status == .scheduled)
            #expect(story.publishAt != nil)
            #expect(try await client.get("/articles/\(story.article.slug)").status == .notFound)
            let list = try await editor.get("/admin/articles?status=scheduled")
            #expect(list.body.contains("Embargoed figures"))
            #expect(list.body.contains("goes out"))
            // A time in the past is refused with the text kept.
            let past = try await editor.post(
                "/admin/articles",
                storyFields(title: "Too late", body: "Kept.", intent: "schedule", publishAt: "2020-01-01T10:00"))
            #expect(past.status == .forbidden)
            #expect(past.body.contains("Kept."))
        }
    }

    @Test("people: only admins manage them; an invitation makes an account that can sign in")
    func invitations() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("admin@caravan.test", .admin)
            try await newsroom.person("author@caravan.test", .author)
            let author = Browser(client)
            _ = try await author.signIn("author@caravan.test")
            #expect(try await author.get("/admin/people").status == .forbidden)

            let admin = Browser(client)
            _ = try await admin.signIn("admin@caravan.test")
            _ = try await admin.get("/admin/people")
            let invited = try await admin.post(
                "/admin/people/invitations",
                [("name", "Dilnoza Karimova"), ("email", "dilnoza@caravan.test"), ("role", "editor")])
            #expect(invited.status == .seeOther)
            let people = try await admin.get("/admin/people")
            let link = try #require(
                people.body.range(of: "/admin/invitations/").map { start in
                    String(people.body[start.lowerBound...].prefix(while: { $0 != "<" && $0 != "\"" }))
                })
            let newcomer = Browser(client)
            #expect(try await newcomer.get(link).status == .ok)
            let short = try await newcomer.post(
                link, [("name", "Dilnoza Karimova"), ("password", "short"), ("password_again", "short")])
            #expect(short.status == .unprocessableContent)
            let joined = try await newcomer.post(
                link,
                [
                    ("name", "Dilnoza Karimova"), ("password", "a long enough secret"),
                    ("password_again", "a long enough secret"),
                ])
            #expect(joined.status == .seeOther)
            #expect(try await newcomer.get("/admin/articles").body.contains("Dilnoza Karimova"))
            let account = try #require(try await newsroom.accounts.credentials(email: "dilnoza@caravan.test"))
            #expect(account.account.role == .editor)
            #expect(account.passwordHash.hasPrefix("$2"))
            // The link works once.
            #expect(try await Browser(client).get(link).status == .notFound)
        }
    }

    @Test("script in titles, bodies and tags stays inert on every public and newsroom page")
    func xssProbes() async throws {
        let probes = [
            "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<svg onload=alert(3)>",
            "<a href=\"javascript:alert(4)\">x</a>", "[click](javascript:alert(5))", "\"><script>alert(6)</script>",
            "<iframe src=\"javascript:alert(7)\"></iframe>", "<svg><script>alert(8)</script></svg>",
            "<a href=\"JaVaScRiPt:alert(9)\">y</a>", "<div onmouseover=\"alert(10)\">hover</div>",
        ]
        try await withNewsroom { client, newsroom in
            try await newsroom.person("editor@caravan.test", .editor)
            let editor = Browser(client)
            _ = try await editor.signIn("editor@caravan.test")
            var ids: [String] = []
            for (index, probe) in probes.enumerated() {
                _ = try await editor.get("/admin/articles/new")
                let created = try await editor.post(
                    "/admin/articles",
                    storyFields(
                        title: "Probe \(index) \(probe)", body: "Probe body \(index)\n\n\(probe)\n\nmore text",
                        standfirst: "Standfirst \(probe)", intent: "publish", tags: "probe, \(probe.prefix(20))",
                        section: "Probes \(probe.prefix(10))"))
                #expect(created.status == .seeOther, "probe \(index) was not saved")
                ids.append(try #require(storyID(from: created.location)))
            }
            var pages = [
                "/", "/search?q=probe", "/feed.xml", "/atom.xml", "/countries/kazakhstan", "/admin/articles",
                "/admin/articles?q=probe",
            ]
            for id in ids {
                let story = try #require(try await newsroom.stories.story(id: Article.ID(id)))
                pages.append("/articles/\(story.article.slug)")
                pages.append("/admin/articles/\(id)")
                pages.append("/admin/articles/\(id)/revisions")
                for tag in story.article.tags { pages.append("/tags/\(tag.slug)") }
                if let section = story.article.section { pages.append("/sections/\(section.slug)") }
            }
            for path in pages {
                let page =
                    path.hasPrefix("/admin")
                    ? try await editor.get(path)
                    : Browser.Page(
                        status: .ok, headers: [:], body: try await client.get(path).body, bytes: [])
                #expect(dangerousMarkup(in: page.body).isEmpty, "\(path): \(dangerousMarkup(in: page.body))")
            }
            // The preview is sanitised the same way.
            let preview = try await editor.post(
                "/admin/articles",
                storyFields(title: "Preview", body: probes.joined(separator: "\n\n"), intent: "preview"))
            #expect(dangerousMarkup(in: preview.body).isEmpty, "\(dangerousMarkup(in: preview.body))")
        }
    }
}

@Suite("The XSS probe's detector")
struct DangerousMarkupTests {
    @Test(
        "finds markup that would run, and ignores escaped text",
        arguments: [
            ("<p>fine</p><script>alert(1)</script>", true),
            ("<img src=x onerror=alert(1)>", true),
            ("<div onmouseover=\"alert(1)\">", true),
            ("<a href=\"javascript:alert(1)\">x</a>", true),
            ("<a href='JAVASCRIPT:alert(1)'>x</a>", true),
            ("<svg><g></g></svg>", true),
            ("<iframe src=\"https://example.org\"></iframe>", true),
            ("<script type=\"application/ld+json\">{}</script>", false),
        ("<script src=\"/static/newsroom.js?v=1\" defer></script>", false),
        ("<script src=\"https://evil.example/x.js\"></script>", true),
            ("&lt;script&gt;alert(1)&lt;/script&gt;", false),
            ("<meta content=\"&lt;img src=x onerror=alert(1)&gt;\">", false),
            ("<a href=\"/articles/on-the-road\">on=the road</a>", false),
            ("<p data-first=\"1\">Viewing</p>", false),
        ])
    func detects(html: String, dangerous: Bool) {
        #expect(dangerousMarkup(in: html).isEmpty == !dangerous)
    }
}
