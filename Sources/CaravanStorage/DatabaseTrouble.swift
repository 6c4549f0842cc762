import GRDB

/// Errors that say the database itself is gone or damaged, as against one statement's failure: the difference between
/// a 500 for one page and a 503 with an unhealthy `/healthz` for all of them.
public enum DatabaseTrouble {
    /// A sentence for the operator when `error` is such trouble; nil for anything else.
    public static func describe(_ error: any Error) -> String? {
        switch error {
        case StorageError.unavailable(let reason): return reason
        case StorageError.cannotConnect: return "\(error)"
        case let error as DatabaseError:
            switch error.resultCode.primaryResultCode {
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: return "the database file is damaged (\(error.message ?? "corrupt"))"
            case .SQLITE_FULL: return "the disk holding the database is full"
            case .SQLITE_IOERR, .SQLITE_CANTOPEN: return "the database file cannot be read or written (\(error.message ?? "I/O error"))"
            case .SQLITE_READONLY: return "the database file can no longer be written (\(error.message ?? "read-only"))"
            default: return nil
            }
        default: return nil
        }
    }
}
