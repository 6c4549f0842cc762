import ArgumentParser
import CaravanStorage
import CaravanTools
import Foundation

/// `caravan copy`: moves a whole site from one database to another (SQLite ↔ PostgreSQL).
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy", abstract: "Copy every table from one database to another and verify the counts.",
        discussion: "Rows are upserted by their keys, so running it again finishes an interrupted copy and otherwise "
            + "changes nothing. Copy into an empty database (or an earlier copy of the same one).")

    @Option(help: "The database to copy from: sqlite:PATH or postgres://USER:PASS@HOST:PORT/DB.")
    var from: String

    @Option(help: "The database to copy to.")
    var to: String

    func run() async throws {
        try await reportingFailures {
            let source = try DatabaseURL(parsing: from)
            let target = try DatabaseURL(parsing: to)
            let reports = try await DatabaseCopy.copy(from: source, to: target) { report in
                print(report.description)
            }
            let rows = reports.reduce(0) { $0 + $1.copied }
            print("copied \(rows) rows in \(reports.count) tables; every table's count matches")
        }
    }
}
