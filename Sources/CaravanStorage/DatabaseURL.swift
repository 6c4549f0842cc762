/// Where the data lives, as given by `--database` or CARAVAN_DATABASE.
public enum DatabaseURL: Sendable, Hashable {
    case sqlite(path: String)
    case postgres(String)

    public static let `default` = DatabaseURL.sqlite(path: "caravan.sqlite")

    /// `sqlite:PATH` (also `sqlite://PATH` and a bare path ending in .sqlite or .db) or `postgres://…`.
    public init(parsing text: String) throws {
        if text.hasPrefix("sqlite://") {
            self = .sqlite(path: String(text.dropFirst("sqlite://".count)))
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(text)
        } else if text.hasSuffix(".sqlite") || text.hasSuffix(".db") {
            self = .sqlite(path: text)
        } else {
            throw StorageError.unsupportedURL(text)
        }
        if case .sqlite(let path) = self, path.isEmpty { throw StorageError.unsupportedURL(text) }
    }
}
