import CaravanCore
import Testing

@Suite("Form encoding: query strings as browsers send them")
struct FormEncodingTests {
    @Test(arguments: [
        ("government+oil", "government oil"),
        ("government%20oil", "government oil"),
        ("c%2B%2B", "c++"),
        ("a+%2B+b", "a + b"),
        ("%22interest+rates%22+-cut", "\"interest rates\" -cut"),
        ("%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B", "выборы"),
        ("выборы", "выборы"),
        ("100%25", "100%"),
        ("50%", "50%"),
        ("%zz+%4", "%zz %4"),
        ("%2", "%2"),
        ("%C3", "\u{FFFD}"),
        ("", ""),
        ("plain", "plain"),
        ("%2b", "+"),
    ])
    func decodesPlusAsASpaceThenPercentEscapes(raw: String, typed: String) {
        #expect(FormEncoding.decode(raw) == typed)
    }

    @Test func pairsKeepOrderEmptyValuesAndRepeats() {
        let pairs = FormEncoding.pairs("q=oil+prices&country=&flag&q=second&a%3Db=c%26d"[...])
        #expect(pairs.map(\.name) == ["q", "country", "flag", "q", "a=b"])
        #expect(pairs.map(\.value) == ["oil prices", "", "", "second", "c&d"])
    }

    @Test(arguments: [
        "government oil", "\"interest rates\" -cut", "c++", "выборы", "Ташкент 2025", "a&b=c#d?e", "100% / 50%",
        "électi*", "", "~tilde_.-",
    ])
    func escapedValuesDecodeToWhatWasTyped(typed: String) {
        let escaped = FormEncoding.escape(typed)
        #expect(escaped.utf8.allSatisfy { FormEncoding.isUnreserved($0) || $0 == UInt8(ascii: "%") })
        #expect(FormEncoding.decode(escaped) == typed)
    }

    @Test func escapeWritesSpacesAndPlusesUnambiguously() {
        #expect(FormEncoding.escape("oil prices") == "oil%20prices")
        #expect(FormEncoding.escape("c+") == "c%2B")
        #expect(FormEncoding.query([("q", "a b"), ("page", "2")]) == "q=a%20b&page=2")
    }
}
