import CaravanCore
import CaravanSearch
import FuzzDriver

// Any bytes a reader can type or a browser can send: the form decoder, the parser, the prefix expansion, the
// suggester's edits and both compilers must answer, never trap; what the escaper writes decodes to what it was given.
runFuzzer { bytes in
    let raw = String(decoding: bytes, as: UTF8.self)
    for (name, value) in FormEncoding.pairs(raw[...]) {
        precondition(FormEncoding.decode(FormEncoding.escape(value)) == value, "escape does not round-trip")
        precondition(FormEncoding.decode(FormEncoding.escape(name)) == name, "escape does not round-trip")
    }
    let typed = FormEncoding.decode(raw)
    let parsed = ParsedQuery.parse(typed).expandingPrefixes { prefix in [prefix + "s", prefix + "ion"] }
    _ = FTS5Query(parsed)
    _ = TSQuery(parsed)
    _ = parsed.description
    for word in parsed.suggestableWords { _ = DidYouMean.firstLetterEdits(of: word) }
}
