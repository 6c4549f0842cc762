import CaravanSearch
import FuzzDriver

// Any bytes a reader can type: the parser and both compilers must answer, never trap.
runFuzzer { bytes in
    let parsed = ParsedQuery.parse(String(decoding: bytes, as: UTF8.self))
    _ = FTS5Query(parsed)
    _ = TSQuery(parsed)
    _ = parsed.description
}
