import CaravanCore
import Hummingbird

/// A request's query string decoded as browsers encode forms (`+` is a space): what every page, API, feed and
/// newsroom filter reads its parameters from, instead of the router's decoding, which keeps `+` as a plus.
struct FormQuery: Sendable {
    let pairs: [(name: String, value: String)]

    init(_ request: Request) {
        self.init(query: request.uri.query)
    }

    init(query: String?) {
        pairs = query.map { FormEncoding.pairs($0[...]) } ?? []
    }

    /// The first value given for this name, as typed.
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }
}

extension Request {
    /// The query string, decoded once by the form rules.
    var form: FormQuery { FormQuery(self) }
}
