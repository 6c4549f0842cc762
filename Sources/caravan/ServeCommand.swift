import ArgumentParser
import CaravanApp
import CaravanRates
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the site.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one and prints it.")
    var port = 8080

    @Flag(help: "Fill an empty database with the bundled demo stories.")
    var demo = false

    @Option(help: "Absolute base URL of the site for feeds and canonical links (default: CARAVAN_SITE_URL, else http://HOST:PORT).")
    var siteURL: String?

    @Option(help: "Stories per listing page (default: CARAVAN_PER_PAGE, else 10).")
    var perPage: Int?

    @Option(help: "How the ticker prints rates: per-usd (1 USD = 87.45 KGS) or usd-per-unit (KGS/USD 0.01144); default CARAVAN_TICKER, else per-usd.")
    var ticker: String?

    @Option(help: "What feeds carry: full (the whole story) or summary; default CARAVAN_FEED_CONTENT, else full.")
    var feedContent: String?

    @Flag(help: "Fetch exchange rates from the national banks in the background (off by default: no network requests).")
    var fetchRates = false

    @Option(help: "With --fetch-rates: times of day in the newsroom's time zone to fetch at, comma-separated; it also fetches once at start.")
    var ratesSchedule = RatesSchedule.standardTimes

    @Option(help: "Seconds between the scheduled-publishing job's runs (a scheduled story goes out within this long of its time).")
    var schedulerInterval = 20

    @Option(help: "Megabytes of rendered pages and feeds kept in memory (default: CARAVAN_PAGE_CACHE_MB, else 64).")
    var pageCacheMB: Int?

    @Option(help: "Seconds a connection may wait for its next request's headers, idle or sending slowly, before it is closed (default: CARAVAN_IDLE_TIMEOUT, else 30).")
    var idleTimeout: Int?

    @Option(help: "The largest photograph the media library takes, in megabytes (default: CARAVAN_UPLOAD_LIMIT_MB, else 25).")
    var uploadLimitMB: Int?

    func run() async throws {
        Logs.bootstrap()
        try await reportingFailures {
            var flags = ServeFlags()
            (flags.database, flags.databaseReplica, flags.timeZone) = (global.database, global.databaseReplica, global.timeZone)
            (flags.host, flags.port, flags.demo, flags.siteURL, flags.perPage) = (host, port, demo, siteURL, perPage)
            (flags.ticker, flags.feedContent, flags.fetchRates, flags.ratesSchedule) = (ticker, feedContent, fetchRates, ratesSchedule)
            (flags.schedulerInterval, flags.pageCacheMB, flags.idleTimeout) = (schedulerInterval, pageCacheMB, idleTimeout)
            flags.uploadLimitMB = uploadLimitMB
            // Feeds and sitemaps need the real address, so a free port is chosen here rather than by the server.
            let configuration = try ServeConfiguration(
                flags, environment: ProcessInfo.processInfo.environment, pickPort: FreePort.pick(host:))
            try await SiteServer.run(configuration, logger: Logger(label: "caravan")) { address in
                // Written straight to the descriptor so that a script waiting on a pipe sees it at once.
                FileHandle.standardOutput.write(Data("Caravan is serving \(address)\n".utf8))
            }
        }
    }
}

/// Asks the system for a free TCP port on the host by binding port 0 and reading back what it gave.
enum FreePort {
    static func pick(host: String) throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CommandFailure("cannot open a socket to find a free port") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
            throw CommandFailure("--host must be an IPv4 address or localhost to use --port 0, not \(host)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic -> Int32 in
                guard bind(descriptor, generic, length) == 0 else { return -1 }
                return getsockname(descriptor, generic, &length)
            }
        }
        guard bound == 0 else { throw CommandFailure("cannot find a free port on \(host)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
