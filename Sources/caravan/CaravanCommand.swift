import ArgumentParser
import CaravanApp
import CaravanStorage
import Foundation
import Logging

@main
struct CaravanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caravan",
        abstract: "Caravan: a news platform for Central Asia.",
        subcommands: [ServeCommand.self, ImportCommand.self, SearchCommand.self, EvalCommand.self, RatesCommand.self, BenchCommand.self, MigrateCommand.self, UserCommand.self, CopyCommand.self, MediaCommand.self, RedirectsCommand.self])
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "sqlite:PATH or postgres://USER:PASS@HOST:PORT/DB[?sslmode=verify-full&sslrootcert=PATH] (default: CARAVAN_DATABASE, else sqlite:caravan.sqlite).")
    var database: String?

    @Option(help: "A PostgreSQL read replica (postgres://…) for the reader's pages and search (default: CARAVAN_DATABASE_REPLICA).")
    var databaseReplica: String?

    @Option(help: "The newsroom's time zone (default: CARAVAN_TIME_ZONE, else Asia/Almaty).")
    var timeZone: String?

    /// The database, its replica and the time zone, as every command resolves them.
    func settings() throws -> DatabaseSettings {
        try DatabaseSettings(
            database: database, replica: databaseReplica, timeZone: timeZone, environment: ProcessInfo.processInfo.environment)
    }

    /// Opens the database with every store, migrated, for as long as `body` runs.
    func withStores<T: Sendable>(_ body: (Stores) async throws -> T) async throws -> T {
        try await settings().withStores(body)
    }

    func resolvedTimeZone() throws -> TimeZone {
        try DatabaseSettings.timeZone(timeZone, environment: ProcessInfo.processInfo.environment)
    }
}

/// A failure the user can act on: printed as one line on stderr, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension AsyncParsableCommand {
    /// Runs the body, turning any error into one line on stderr and a non-zero exit, never a stack trace.
    func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("caravan: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

enum Logs {
    /// Logs go to stderr so that stdout stays for what commands print.
    static func bootstrap(level: Logger.Level = .info) {
        let configured = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? level
        LoggingSystem.bootstrap { label in
            BufferedLogHandler(label: label, logLevel: configured, sink: LogSink.shared)
        }
    }
}
