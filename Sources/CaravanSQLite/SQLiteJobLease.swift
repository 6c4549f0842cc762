import CaravanStorage
import Foundation
import GRDB

/// The lease on SQLite: the first insert of a (job, run) row wins.
public struct SQLiteJobLease: JobLease {
    let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func claim(job: String, run: String, holder: String, at: Date) async throws -> Bool {
        try await database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO job_run (job, run, holder, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [job, run, holder, Int64(at.timeIntervalSince1970)])
            let owner = try String.fetchOne(db, sql: "SELECT holder FROM job_run WHERE job = ? AND run = ?", arguments: [job, run])
            // Runs older than a month only make the table grow.
            try db.execute(sql: "DELETE FROM job_run WHERE claimed_at < ?", arguments: [Int64(at.timeIntervalSince1970) - 30 * 86_400])
            return owner == holder
        }
    }
}
