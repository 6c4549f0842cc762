import CaravanStorage
import Foundation
import PostgresNIO

/// The lease on PostgreSQL: the first insert of a (job, run) row wins, whichever instance makes it.
public struct PostgresJobLease: JobLease {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func claim(job: String, run: String, holder: String, at: Date) async throws -> Bool {
        let seconds = Int64(at.timeIntervalSince1970)
        return try await database.write { connection in
            try await connection.execute(
                """
                INSERT INTO job_run (job, run, holder, claimed_at) VALUES (\(job), \(run), \(holder), \(seconds))
                ON CONFLICT DO NOTHING
                """, logger: database.logger)
            let owner = try await connection.value(
                "SELECT holder FROM job_run WHERE job = \(job) AND run = \(run)", as: String.self, logger: database.logger)
            // Runs older than a month only make the table grow.
            let cutoff = seconds - 30 * 86_400
            try await connection.execute("DELETE FROM job_run WHERE claimed_at < \(cutoff)", logger: database.logger)
            return owner == holder
        }
    }
}
