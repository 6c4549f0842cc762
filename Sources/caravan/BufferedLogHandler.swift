import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes to stderr through a buffer.
///
/// The server logs a line per request; writing each one to stderr synchronously, under a lock, cost more than
/// serving a cached page. Lines are collected and written when 16 kB have gathered, every 200 ms, at once for
/// warnings and errors, and at exit.
struct BufferedLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let sink: LogSink

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = "\(sink.timestamp()) \(event.level) \(label): "
        let merged = event.metadata.map { metadata.merging($0) { $1 } } ?? metadata
        if !merged.isEmpty {
            line += merged.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ") + " "
        }
        line += "\(event.message)\n"
        sink.append(line, urgent: event.level >= .warning)
    }
}

/// The shared buffer behind every handler, and its flusher.
final class LogSink: Sendable {
    static let shared = LogSink()

    private let buffer = Mutex<[UInt8]>([])
    private let clock = Mutex<(second: Int, text: String)>((-1, ""))
    private static let limit = 16 * 1024

    private init() {
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 0.2)
                flush()
            }
        }
        thread.stackSize = 64 * 1024
        thread.start()
        atexit { LogSink.shared.flush() }
    }

    func append(_ line: String, urgent: Bool) {
        let full = buffer.withLock { bytes in
            bytes.append(contentsOf: line.utf8)
            return bytes.count >= Self.limit
        }
        if full || urgent { flush() }
    }

    func flush() {
        let bytes = buffer.withLock { bytes in
            let taken = bytes
            bytes.removeAll(keepingCapacity: true)
            return taken
        }
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(STDERR_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }

    /// ISO 8601 to the second, formatted once a second rather than once a line.
    func timestamp() -> String {
        let now = Date()
        let second = Int(now.timeIntervalSince1970)
        return clock.withLock { cached in
            if cached.second != second {
                cached = (second, now.formatted(.iso8601))
            }
            return cached.text
        }
    }
}
