/// Errors that say the database itself is gone or damaged, as against one statement's failure: the difference between
/// a 500 for one page and a 503 with an unhealthy `/healthz` for all of them.
public enum DatabaseTrouble {
    /// A sentence for the operator when `error` is such trouble; nil for anything else.
    public static func describe(_ error: any Error) -> String? {
        switch error {
        case StorageError.unavailable(let reason): return reason
        case StorageError.cannotConnect: return "\(error)"
        case let error as any EngineTrouble: return error.trouble
        default: return nil
        }
    }
}

/// An engine's own error that can say whether the database as a whole is in trouble (a damaged file, a full disk).
public protocol EngineTrouble: Error {
    /// A sentence for the operator, or nil when only one statement failed.
    var trouble: String? { get }
}
