import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird

/// Admins manage the newsroom's people: who has an account, with which role, and who is invited.
struct PeopleController: Sendable {
    let desk: NewsroomDesk

    func addRoutes(to admin: RouterGroup<NewsroomRequestContext>) {
        admin.get(Addresses.people, use: people)
        admin.post(Addresses.invitations, use: invite)
        admin.post(Addresses.role, use: changeRole)
    }

    @Sendable func people(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let signedIn = try context.editor
        let notice = request.form["notice"].flatMap { Notice(rawValue: $0)?.text }
        return try await page(request, signedIn, notice: notice, problem: nil, status: .ok)
    }

    private func page(
        _ request: Request, _ signedIn: SignedIn, notice: String?, problem: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let now = desk.clock()
        let dates = DateLine(timeZone: desk.site.timeZone)
        func roles(_ selected: Account.Role?) -> [StoryListPage.Option] {
            Account.Role.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == selected) }
        }
        let invitations = try await desk.accounts.invitations(now: now).map { invitation in
            PeoplePage.InvitationRow(
                email: invitation.email, name: invitation.name, roleLabel: invitation.role.label,
                link: desk.site.siteURL + NewsroomRoute.invitation(token: invitation.token).path,
                expiresText: dates.dayAndTime(invitation.expires))
        }
        let view = PeoplePage(
            chrome: desk.chrome(request, signedIn), title: "People | \(desk.site.siteName) newsroom", notice: notice,
            problem: problem,
            people: try await desk.accounts.accounts().map { account in
                .init(
                    id: String(account.id.rawValue), name: account.name, email: account.email,
                    roleLabel: account.role.label,
                    roles: roles(account.role), roleAction: NewsroomRoute.role(account.id).path)
            },
            invitations: invitations, hasInvitations: !invitations.isEmpty, roles: roles(.author))
        return try desk.page(view, template: "admin-people", status: status)
    }

    @Sendable func invite(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let (signedIn, fields) = (try context.editor, try context.form)
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let email = AccountRules.normalizedEmail(fields["email"] ?? "") else {
            return try await page(
                request, signedIn, notice: nil, problem: "Give the person's email address, like name@example.org.",
                status: .unprocessableContent)
        }
        guard !name.isEmpty else {
            return try await page(
                request, signedIn, notice: nil, problem: "Give the person's name: it is their byline.",
                status: .unprocessableContent)
        }
        guard let role = Account.Role(rawValue: fields["role"] ?? "") else {
            return try await page(
                request, signedIn, notice: nil, problem: "Choose a role: admin, editor or author.",
                status: .unprocessableContent)
        }
        if try await desk.accounts.credentials(email: email) != nil {
            return try await page(
                request, signedIn, notice: nil, problem: AccountError.emailTaken(email).description,
                status: .conflict)
        }
        let invitation = Invitation(
            token: Token.make(), email: email, name: name, role: role, invitedBy: signedIn.account.id,
            expires: desk.clock().addingTimeInterval(desk.dependencies.configuration.invitationLifetime))
        try await desk.accounts.addInvitation(invitation)
        return desk.redirect(to: NewsroomRoute.people.path + "?notice=\(Notice.invited.rawValue)")
    }

    @Sendable func changeRole(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let (signedIn, fields) = (try context.editor, try context.form)
        guard let id = Int64(try context.parameters.require("id")),
            let role = Account.Role(rawValue: fields["role"] ?? "")
        else {
            return try await page(
                request, signedIn, notice: nil, problem: "Choose a role: admin, editor or author.",
                status: .unprocessableContent)
        }
        do {
            try await desk.accounts.setRole(role, of: Account.ID(rawValue: id))
        } catch let error as AccountError {
            return try await page(request, signedIn, notice: nil, problem: error.description, status: .conflict)
        }
        return desk.redirect(to: NewsroomRoute.people.path + "?notice=\(Notice.roleChanged.rawValue)")
    }
}
