/// The PostgreSQL search index's schema, applied as migration "002 search" (owned by the search work).
enum PostgresSearchSchema {
    /// One or more statements separated by semicolons; empty until the search index lands.
    static let migrationSQL = ""
}
