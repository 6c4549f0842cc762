import CaravanSearch
import CaravanStorage
import PostgresNIO

extension BareSearch {
    public static func postgres(_ database: PostgresDatabase) -> BareSearch {
        BareSearch(description: "tsvector @@ tsquery + ts_rank_cd + ORDER BY + LIMIT") { request in
            let compiled = TSQuery(parsing: request.text, configuration: PostgresSearchSchema.configuration)
            guard let any = compiled.matchAny else { return }
            var binds = PostgresBindings()
            for parameter in compiled.parameters { binds.append(parameter) }
            let next = compiled.parameters.count + 1
            binds.append(Int64(request.perPage))
            binds.append(Int64((request.page - 1) * request.perPage))
            let sql = """
                SELECT number FROM article WHERE search_vector @@ (\(any))
                ORDER BY ts_rank_cd('\(PostgresSearchIndex.weights)', search_vector, (\(any)), 1) DESC
                LIMIT $\(next) OFFSET $\(next + 1)
                """
            _ = try await database.read { connection in
                try await connection.values(PostgresQuery(unsafeSQL: sql, binds: binds), as: Int64.self, logger: database.logger)
            }
        }
    }
}
