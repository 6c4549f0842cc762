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

extension Array where Element == Redirect {
    /// One redirect an old address, the last given, in the order first given.
    package var lastOfEach: [Redirect] {
        var index: [String: Int] = [:]
        var result: [Redirect] = []
        for redirect in self {
            if let at = index[redirect.from] { result[at] = redirect } else {
                index[redirect.from] = result.count
                result.append(redirect)
            }
        }
        return result
    }
}

/// The addresses of a site Caravan replaced (a WordPress import's), answered with `301` before the 404 page.
public protocol RedirectStore: Sendable {
    /// Adds each redirect, or points an old address already stored at its new target, in one transaction; of one
    /// old address given twice, the last counts. Returns how many were new and how many changed their target.
    @discardableResult
    func saveRedirects(_ redirects: [Redirect]) async throws -> (added: Int, changed: Int)
    func redirect(from key: String) async throws -> String?
    /// Every redirect, by old address.
    func redirects() async throws -> [Redirect]
}
