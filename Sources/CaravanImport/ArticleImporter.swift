import CaravanCore
import CaravanStorage
import Foundation

/// Loads article JSON Lines into a store: streaming, in batched transactions, upserting by id.
public struct ArticleImporter: Sendable {
    public struct Progress: Sendable {
        public var lines: Int
        public var bytesRead: Int64
        /// The file's size when it is a regular file; nil for a pipe.
        public var totalBytes: Int64?
        public var elapsed: Duration
    }

    public struct Report: Sendable, Hashable {
        public var inserted = 0
        public var updated = 0
        public var skipped = 0
        public var lines = 0
        /// The summary line `caravan import jsonl` prints.
        public var summary: String { "imported \(inserted), updated \(updated), skipped \(skipped)" }
    }

    public struct SkippedLine: Sendable, Hashable, CustomStringConvertible {
        public var number: Int
        public var reason: String
        public var description: String { "line \(number): \(reason)" }
    }

    public enum Failure: Error, CustomStringConvertible {
        case cannotRead(path: String, reason: String)
        /// `--strict` found bad lines, so nothing was written.
        case strictRefused(skipped: Int)
        /// The store refused a batch: lines before `firstLine` are committed (as `committed` counts), none after.
        case stopped(firstLine: Int, lastLine: Int, committed: Report, reason: String)

        public var description: String {
            switch self {
            case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
            case .strictRefused(let skipped):
                "\(skipped) bad line\(skipped == 1 ? "" : "s") found; with --strict nothing was written"
            case .stopped(let first, let last, let committed, let reason):
                "the import stopped at line \(first): lines \(first)–\(last) and after were not written (\(reason)); "
                    + "everything before line \(first) is stored: \(committed.summary)"
            }
        }
    }

    let store: any ArticleStore
    let timeZone: TimeZone
    let batchSize: Int
    /// Whether the media library holds a photograph, for a line's `image`; nil takes every id.
    let photographExists: (@Sendable (String) async throws -> Bool)?

    public init(
        store: any ArticleStore, timeZone: TimeZone, batchSize: Int = 500,
        photographExists: (@Sendable (String) async throws -> Bool)? = nil
    ) {
        self.photographExists = photographExists
        self.store = store
        self.timeZone = timeZone
        self.batchSize = batchSize
    }

    /// Imports the file at `path`. In strict mode a first pass checks every line and nothing is written if any is bad.
    public func importFile(
        at path: String, strict: Bool = false,
        progress: @Sendable (Progress) -> Void = { _ in },
        skipped: @Sendable (SkippedLine) -> Void = { _ in }
    ) async throws -> Report {
        if strict {
            let check = try await run(path: path, write: false, progress: { _ in }, skipped: skipped)
            if check.skipped > 0 { throw Failure.strictRefused(skipped: check.skipped) }
            return try await run(path: path, write: true, progress: progress, skipped: { _ in })
        }
        return try await run(path: path, write: true, progress: progress, skipped: skipped)
    }

    private func run(
        path: String, write: Bool, progress: @Sendable (Progress) -> Void, skipped: @Sendable (SkippedLine) -> Void
    ) async throws -> Report {
        let handle: FileHandle
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw Failure.cannotRead(path: path, reason: "no such file")
        }
        guard !isFolder.boolValue else { throw Failure.cannotRead(path: path, reason: "it is a folder") }
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw Failure.cannotRead(path: path, reason: "permission denied or unreadable")
        }
        defer { try? handle.close() }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let totalBytes = (attributes?[.type] as? FileAttributeType) == .typeRegular
            ? (attributes?[.size] as? NSNumber)?.int64Value : nil

        var reader = LineReader(handle: handle, limit: ArticleLine.maximumBytes)
        var report = Report()
        var batch: [ArticleSubmission] = []
        batch.reserveCapacity(batchSize)
        let clock = ContinuousClock()
        let started = clock.now
        var lastProgress = started

        // One batch is written while the next is read and parsed: parsing and rendering overlap with SQLite.
        var pending: (task: Task<SaveSummary, any Error>, firstLine: Int, lastLine: Int)?
        var batchFirstLine = 1
        func settle() async throws {
            guard let saving = pending else { return }
            pending = nil
            do {
                let saved = try await saving.task.value
                report.inserted += saved.inserted
                report.updated += saved.updated
            } catch {
                // Batches commit whole and in order, so what is stored is exactly what came before this one.
                let reason = DatabaseTrouble.describe(error) ?? "\(error)"
                throw Failure.stopped(firstLine: saving.firstLine, lastLine: saving.lastLine, committed: report, reason: reason)
            }
        }
        func flush() async throws {
            guard write, !batch.isEmpty else { return }
            try await settle()
            let submissions = batch
            pending = (Task { [store] in try await store.save(submissions) }, batchFirstLine, report.lines)
            batch.removeAll(keepingCapacity: true)
            batchFirstLine = report.lines + 1
        }

        while true {
            let line: LineReader.Line?
            do {
                line = try reader.next()
            } catch {
                throw Failure.cannotRead(path: path, reason: "read failed after line \(report.lines): \(error)")
            }
            guard let line else { break }
            report.lines += 1
            switch line {
            case .tooLong(let count):
                report.skipped += 1
                skipped(SkippedLine(number: report.lines, reason: "line is \(count / 1_048_576) MB, over the \(ArticleLine.maximumBytes / 1_048_576) MB limit"))
            case .bytes(let bytes):
                if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }  // blank lines are not stories
                do {
                    let submission = try ArticleLine.parse(bytes, timeZone: timeZone)
                    if let image = submission.image, let photographExists, try await !photographExists(image) {
                        report.skipped += 1
                        skipped(
                            SkippedLine(
                                number: report.lines,
                                reason: "field \"image\": there is no photograph \(image) in the media library (add it with caravan media add)"))
                    } else {
                        batch.append(submission)
                    }
                } catch let error as ArticleLine.Problem {
                    report.skipped += 1
                    skipped(SkippedLine(number: report.lines, reason: error.description))
                }
            }
            if batch.count >= batchSize { try await flush() }
            if clock.now - lastProgress > .milliseconds(200) {
                lastProgress = clock.now
                progress(Progress(lines: report.lines, bytesRead: reader.bytesRead, totalBytes: totalBytes, elapsed: clock.now - started))
            }
        }
        try await flush()
        try await settle()
        progress(Progress(lines: report.lines, bytesRead: reader.bytesRead, totalBytes: totalBytes, elapsed: clock.now - started))
        return report
    }
}
