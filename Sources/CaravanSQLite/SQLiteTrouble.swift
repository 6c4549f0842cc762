import CaravanStorage
import GRDB

// SQLite's result codes say when the file itself, not one statement, is the trouble.
extension DatabaseError: EngineTrouble {
    public var trouble: String? {
        switch resultCode.primaryResultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return "the database file is damaged (\(message ?? "corrupt"))"
        case .SQLITE_FULL: return "the disk holding the database is full"
        case .SQLITE_IOERR, .SQLITE_CANTOPEN: return "the database file cannot be read or written (\(message ?? "I/O error"))"
        case .SQLITE_READONLY: return "the database file can no longer be written (\(message ?? "read-only"))"
        default: return nil
        }
    }
}
