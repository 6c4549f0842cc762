import CaravanCore
import Foundation

/// Why an account could not be made or changed.
public enum AccountError: Error, Sendable, Hashable, CustomStringConvertible {
    case emailTaken(String)
    case invitationNotFound
    case lastAdmin

    public var description: String {
        switch self {
        case .emailTaken(let email): "There is already an account for \(email)."
        case .invitationNotFound: "This invitation has expired, has been used, or never existed."
        case .lastAdmin: "The newsroom needs at least one admin; make someone else admin first."
        }
    }
}

/// The people of the newsroom, their invitations and their failed sign-ins.
public protocol AccountStore: Sendable {
    /// Throws `AccountError.emailTaken` when the address already has an account.
    func addAccount(email: String, name: String, role: Account.Role, passwordHash: String, now: Date) async throws
        -> Account
    func account(id: Account.ID) async throws -> Account?
    /// The email is matched lower-cased.
    func credentials(email: String) async throws -> Credentials?
    /// Everyone, admins first, then by name.
    func accounts() async throws -> [Account]
    /// Throws `AccountError.lastAdmin` rather than leave the newsroom without an admin.
    func setRole(_ role: Account.Role, of id: Account.ID) async throws
    func setPasswordHash(_ hash: String, of id: Account.ID) async throws

    func addInvitation(_ invitation: Invitation) async throws
    /// An invitation that has not expired.
    func invitation(token: String, now: Date) async throws -> Invitation?
    /// Open invitations, newest first.
    func invitations(now: Date) async throws -> [Invitation]
    /// Makes the account and spends the invitation, in one transaction.
    func acceptInvitation(token: String, passwordHash: String, now: Date) async throws -> Account

    func recordSignInFailure(email: String, at: Date) async throws
    /// Failed attempts for the address since `since`.
    func signInFailures(email: String, since: Date) async throws -> [Date]
    func clearSignInFailures(email: String) async throws
}

/// Signed-in sessions, by the key in the session cookie. In the database so they survive a restart and are shared by
/// every instance.
public protocol SessionStore: Sendable {
    func saveSession(key: String, data: Data, expires: Date?) async throws
    /// The session's data, or nil when it is unknown or has expired.
    func session(key: String, now: Date) async throws -> (data: Data, expires: Date?)?
    func removeSession(key: String) async throws
    /// Forgets expired sessions; returns how many.
    @discardableResult
    func removeExpiredSessions(now: Date) async throws -> Int
}
