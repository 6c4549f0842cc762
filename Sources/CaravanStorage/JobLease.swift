import Foundation

/// Lets one instance among several claim a run of a background job, so that work meant to happen once (fetching the
/// banks' rates at 09:30) happens once however many instances share the database.
public protocol JobLease: Sendable {
    /// True for exactly one caller per job and run; `holder` names the instance, for whoever reads the table.
    func claim(job: String, run: String, holder: String, at: Date) async throws -> Bool
}
