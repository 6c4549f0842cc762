import CaravanStorage
import Foundation

/// Reads a file line by line in fixed-size chunks, so memory stays flat whatever the file's size.
struct LineReader {
    enum Line {
        case bytes(ArraySlice<UInt8>)
        /// A line longer than the limit: its bytes were read past, not kept.
        case tooLong(byteCount: Int)
    }

    private let handle: FileHandle
    private let limit: Int
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// Bytes of an overlong line dropped so far (0 when not inside one).
    private var discarding = 0
    private(set) var bytesRead: Int64 = 0

    init(handle: FileHandle, limit: Int, chunkSize: Int = 1 << 20) {
        self.handle = handle
        self.limit = limit
        self.chunkSize = chunkSize
    }

    mutating func next() throws -> Line? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 10) {
                let line = buffer[start..<newline]
                start = newline + 1
                if discarding > 0 {
                    let count = discarding + line.count
                    discarding = 0
                    return .tooLong(byteCount: count)
                }
                return .bytes(line.last == 13 ? line.dropLast() : line)
            }
            let pending = buffer.count - start
            if pending > limit {
                // Keep nothing of an overlong line; count it and read on to its end.
                discarding += pending
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            if atEnd {
                guard start < buffer.count || discarding > 0 else { return nil }
                let line = buffer[start...]
                start = buffer.count
                if discarding > 0 {
                    let count = discarding + line.count
                    discarding = 0
                    return .tooLong(byteCount: count)
                }
                return .bytes(line)
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty {
                atEnd = true
            } else {
                bytesRead += Int64(chunk.count)
                buffer.append(contentsOf: chunk)
            }
        }
    }
}
