import CaravanCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every guarded newsroom address, as a stranger, a signed-in author and a forger meet it: no handler runs for them.
@Suite("The newsroom's guard") struct NewsroomGuardTests {
    static let pages = [
        "/admin/articles", "/admin/articles/new", "/admin/articles/demo-1", "/admin/articles/demo-1/revisions",
        "/admin/articles/demo-1/compare?from=1&to=2", "/admin/people",
    ]
    static let forms = [
        "/admin/articles", "/admin/articles/demo-1", "/admin/articles/demo-1/revisions/1/restore",
        "/admin/people/invitations", "/admin/people/1/role",
    ]

    @Test func aStrangerIsSentToSignInFromEveryPageAndKeepsTheTextOfEveryForm() async throws {
        try await withNewsroom { client, newsroom in
            let stranger = Browser(client)
            for path in Self.pages {
                let page = try await stranger.get(path)
                #expect(page.status == .seeOther, "\(path)")
                let next = FormEncoding.query([("next", path)])
                #expect(page.location == "/admin/login?" + next, "\(path) comes back after signing in")
            }
            for path in Self.forms {
                let answer = try await stranger.post(path, storyFields(title: "Kept", body: "Words typed at \(path)."), csrf: .some("x"))
                #expect(answer.status == .unauthorized, "\(path)")
                #expect(answer.body.contains("Words typed at \(path)."), "\(path) keeps what was typed")
            }
            #expect(try await newsroom.store.count() == 0)
        }
    }

    @Test func aFormWithoutTheSessionsTokenIsRefusedAtEveryAddress() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("admin@caravan.test", .admin)
            let admin = Browser(client)
            _ = try await admin.signIn("admin@caravan.test")
            for path in Self.forms {
                let forged = try await admin.post(path, storyFields(title: "Forged", body: "Not from here."), csrf: .some("forged"))
                #expect(forged.status == .forbidden, "\(path)")
                #expect(forged.body.contains("This form cannot be accepted"), "\(path)")
            }
            #expect(try await newsroom.store.count() == 0)
            #expect(try await newsroom.accounts.invitations(now: Date()).isEmpty)
        }
    }

    @Test func onlyAnAdminReachesThePeoplePagesWhateverTheToken() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("editor@caravan.test", .editor)
            let editor = Browser(client)
            _ = try await editor.signIn("editor@caravan.test")
            let page = try await editor.get("/admin/people")
            #expect(page.status == .forbidden && page.body.contains("Only an admin can manage"))
            for path in ["/admin/people/invitations", "/admin/people/1/role"] {
                let answer = try await editor.post(path, [("email", "new@caravan.test"), ("name", "New"), ("role", "admin")])
                #expect(answer.status == .forbidden && answer.body.contains("Only an admin can manage"), "\(path)")
            }
            #expect(try await newsroom.accounts.invitations(now: Date()).isEmpty)
        }
    }
}
