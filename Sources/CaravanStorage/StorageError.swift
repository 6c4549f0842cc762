/// Failures of the store, with a sentence a person can act on.
public enum StorageError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, reason: String)
    case unsupportedURL(String)
    case unsupportedReplica
    /// A postgres:// URL that names no server or database (the text never carries the password).
    case malformedURL(String, reason: String)
    /// `location` is HOST:PORT.
    case cannotConnect(location: String, reason: String)
    case migrationFailed(migration: String, reason: String)
    /// A statement the database refused, with the server's own words.
    case databaseFailed(reason: String)
    /// The database cannot be used at all (its file is gone, the server does not answer): 503, not 500.
    case unavailable(reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open the database \(path): \(reason)"
        case .malformedURL(let url, let reason): "malformed database URL \"\(url)\": \(reason)"
        case .cannotConnect(let location, let reason): "cannot connect to PostgreSQL at \(location): \(reason)"
        case .migrationFailed(let migration, let reason): "cannot apply the migration \"\(migration)\": \(reason)"
        case .databaseFailed(let reason): "the database refused a statement: \(reason)"
        case .unavailable(let reason): "the database is unavailable: \(reason)"
        case .unsupportedReplica: "a read replica must be a postgres:// URL, and the database PostgreSQL too"
        case .unsupportedURL(let url):
            "unsupported database URL \"\(url)\": use sqlite:PATH or postgres://USER:PASS@HOST:PORT/DB"
        }
    }
}
