import CaravanCore
import CaravanStorage
import Foundation
import Testing

/// The behaviour every AccountStore and SessionStore must have.
@Suite("AccountStore and SessionStore contract")
struct AccountStoreContractTests {
    typealias N = Newsroom

    static func invitation(
        _ token: String, email: String = "new.person@caravan.example", role: Account.Role = .author, by: Account,
        expires: Date = Newsroom.day(7)
    ) -> Invitation {
        Invitation(token: token, email: email, name: "New Person", role: role, invitedBy: by.id, expires: expires)
    }

    @Test(arguments: NewsroomBackend.all)
    func addressesAreKeptLowerCasedAndFoundInAnyCase(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let accounts = stores.accounts
            let added = try await accounts.addAccount(
                email: "Dana.Editor@Caravan.Example", name: "Dana Editor", role: .editor, passwordHash: "hash-1", now: N.day(0))
            #expect(added.email == "dana.editor@caravan.example")
            #expect(added.created == N.day(0))
            #expect(try await accounts.account(id: added.id) == added)
            #expect(try await accounts.account(id: Account.ID(rawValue: 999)) == nil)

            let credentials = try #require(try await accounts.credentials(email: "DANA.EDITOR@caravan.example"))
            #expect(credentials == Credentials(account: added, passwordHash: "hash-1"))
            #expect(try await accounts.credentials(email: "nobody@caravan.example") == nil)

            try await accounts.setPasswordHash("hash-2", of: added.id)
            #expect(try await accounts.credentials(email: added.email)?.passwordHash == "hash-2")
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func anAddressHasOneAccount(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let accounts = stores.accounts
            _ = try await accounts.addAccount(
                email: "dana@caravan.example", name: "Dana", role: .editor, passwordHash: "h", now: N.day(0))
            await #expect(throws: AccountError.emailTaken("dana@caravan.example")) {
                try await accounts.addAccount(email: "DANA@caravan.example", name: "Other", role: .author, passwordHash: "h", now: N.day(1))
            }
            #expect(try await accounts.accounts().count == 1)
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func everyoneIsListedAdminsFirstThenByName(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            _ = try await N.person(stores, "Zarina Admin", role: .admin)
            _ = try await N.person(stores, "Bakyt Author", role: .author)
            _ = try await N.person(stores, "Aigerim Admin", role: .admin)
            _ = try await N.person(stores, "Daniyar Editor", role: .editor)
            #expect(try await stores.accounts.accounts().map(\.name) == ["Aigerim Admin", "Zarina Admin", "Bakyt Author", "Daniyar Editor"])
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func theNewsroomAlwaysKeepsAnAdmin(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let first = try await N.person(stores, "First Admin", role: .admin)
            let editor = try await N.person(stores, "Some Editor", role: .editor)

            await #expect(throws: AccountError.lastAdmin) { try await stores.accounts.setRole(.editor, of: first.id) }
            #expect(try await stores.accounts.account(id: first.id)?.role == .admin)
            try await stores.accounts.setRole(.admin, of: first.id)

            try await stores.accounts.setRole(.admin, of: editor.id)
            try await stores.accounts.setRole(.author, of: first.id)
            #expect(try await stores.accounts.account(id: first.id)?.role == .author)
            await #expect(throws: AccountError.lastAdmin) { try await stores.accounts.setRole(.author, of: editor.id) }
            #expect(try await stores.accounts.account(id: editor.id)?.role == .admin)
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func invitationsExpire(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let admin = try await N.person(stores, "First Admin", role: .admin)
            let older = Self.invitation("tok-1", email: "One@Caravan.Example", by: admin, expires: N.day(7))
            let newer = Self.invitation("tok-2", email: "two@caravan.example", role: .editor, by: admin, expires: N.day(8))
            try await stores.accounts.addInvitation(older)
            try await stores.accounts.addInvitation(newer)

            var stored = older
            stored.email = "one@caravan.example"
            #expect(try await stores.accounts.invitation(token: "tok-1", now: N.day(6)) == stored)
            #expect(try await stores.accounts.invitation(token: "tok-1", now: N.day(7)) == nil, "expired at its time")
            #expect(try await stores.accounts.invitation(token: "nope", now: N.day(1)) == nil)
            #expect(try await stores.accounts.invitations(now: N.day(1)).map(\.token) == ["tok-2", "tok-1"], "newest first")
            #expect(try await stores.accounts.invitations(now: N.day(7, hour: 12)).map(\.token) == ["tok-2"])

            await #expect(throws: AccountError.invitationNotFound) {
                try await stores.accounts.acceptInvitation(token: "tok-1", passwordHash: "h", now: N.day(7, hour: 12))
            }
            #expect(try await stores.accounts.credentials(email: "one@caravan.example") == nil)
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func invitationsMadeInTheSameSecondAreListedNewestFirst(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let admin = try await N.person(stores, "First Admin", role: .admin)
            for token in ["tok-b", "tok-a", "tok-c"] {
                try await stores.accounts.addInvitation(Self.invitation(token, email: "\(token)@caravan.example", by: admin))
            }
            #expect(try await stores.accounts.invitations(now: N.day(1)).map(\.token) == ["tok-c", "tok-a", "tok-b"])
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func acceptingAnInvitationMakesTheAccountAndSpendsIt(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let admin = try await N.person(stores, "First Admin", role: .admin)
            try await stores.accounts.addInvitation(Self.invitation("tok-1", role: .editor, by: admin))

            let account = try await stores.accounts.acceptInvitation(token: "tok-1", passwordHash: "secret-hash", now: N.day(2))
            #expect((account.email, account.name, account.role, account.created) == ("new.person@caravan.example", "New Person", .editor, N.day(2)))
            #expect(try await stores.accounts.credentials(email: "new.person@caravan.example") == Credentials(account: account, passwordHash: "secret-hash"))
            #expect(try await stores.accounts.invitation(token: "tok-1", now: N.day(2)) == nil)
            await #expect(throws: AccountError.invitationNotFound) {
                try await stores.accounts.acceptInvitation(token: "tok-1", passwordHash: "again", now: N.day(2))
            }
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func anInvitationToATakenAddressFailsAndStaysOpen(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let admin = try await N.person(stores, "First Admin", role: .admin)
            try await stores.accounts.addInvitation(Self.invitation("tok-1", email: admin.email, by: admin))
            await #expect(throws: AccountError.emailTaken(admin.email)) {
                try await stores.accounts.acceptInvitation(token: "tok-1", passwordHash: "h", now: N.day(2))
            }
            #expect(try await stores.accounts.invitation(token: "tok-1", now: N.day(2)) != nil, "nothing of the transaction stays")
            #expect(try await stores.accounts.accounts().count == 1)
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func failedSignInsAreCountedPerAddressUntilCleared(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let accounts = stores.accounts
            let times = [N.day(1, hour: 9), N.day(1, hour: 10), N.day(1, hour: 11)]
            for time in times {
                try await accounts.recordSignInFailure(email: "Dana@Caravan.Example", at: time)
            }
            try await accounts.recordSignInFailure(email: "other@caravan.example", at: N.day(1, hour: 10))

            #expect(try await accounts.signInFailures(email: "dana@caravan.example", since: N.day(0)) == times)
            #expect(try await accounts.signInFailures(email: "DANA@caravan.example", since: N.day(1, hour: 10)) == Array(times.dropFirst()))
            try await accounts.clearSignInFailures(email: "dana@CARAVAN.example")
            #expect(try await accounts.signInFailures(email: "dana@caravan.example", since: N.day(0)).isEmpty)
            #expect(try await accounts.signInFailures(email: "other@caravan.example", since: N.day(0)).count == 1)
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func sessionsLastUntilTheyExpireOrAreRemoved(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let sessions = stores.sessions
            try await sessions.saveSession(key: "k1", data: Data("one".utf8), expires: N.day(2))
            try await sessions.saveSession(key: "k2", data: Data("two".utf8), expires: nil)
            try await sessions.saveSession(key: "k3", data: Data("three".utf8), expires: N.day(1))

            let one = try #require(try await sessions.session(key: "k1", now: N.day(1)))
            #expect(one.data == Data("one".utf8) && one.expires == N.day(2))
            #expect(try await sessions.session(key: "k1", now: N.day(2)) == nil, "expired at its time")
            #expect(try await sessions.session(key: "k2", now: N.day(900))?.data == Data("two".utf8), "no expiry, no end")
            #expect(try await sessions.session(key: "nope", now: N.day(0)) == nil)

            try await sessions.saveSession(key: "k1", data: Data("renewed".utf8), expires: N.day(5))
            #expect(try await sessions.session(key: "k1", now: N.day(3))?.data == Data("renewed".utf8))

            #expect(try await sessions.removeExpiredSessions(now: N.day(3)) == 1)
            #expect(try await sessions.session(key: "k3", now: N.day(0)) == nil, "removed, not just hidden")
            try await sessions.removeSession(key: "k2")
            #expect(try await sessions.session(key: "k2", now: N.day(0)) == nil)
            #expect(try await sessions.removeExpiredSessions(now: N.day(3)) == 0)
            #expect(try await sessions.session(key: "k1", now: N.day(4)) != nil)
        }
    }
}
