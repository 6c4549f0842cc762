import CaravanCore
import Foundation

/// An old address and where its content lives now.
public struct Redirect: Sendable, Hashable {
    /// `OldAddress.key` of the old address: its path without a trailing slash, and the one query that names
    /// content (`?p=123`), if any.
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}

/// The addresses of a site Caravan replaced (a WordPress import's), answered with `301` before the 404 page.
public protocol RedirectStore: Sendable {
    /// Adds each redirect, or points an old address already stored at its new target, in one transaction.
    func saveRedirects(_ redirects: [Redirect]) async throws
    func redirect(from key: String) async throws -> String?
    /// Every redirect, by old address.
    func redirects() async throws -> [Redirect]
}
