import CaravanStorage
import Testing

/// What the storage interface writes for both engines, tested once for both.
@Suite("Written by both engines")
struct WrittenByBothEnginesTests {
    /// A newsroom filter's typed % and _ are characters, on SQLite and PostgreSQL alike.
    @Test(arguments: [
        ("50%", #"50\%"#), ("a_b", #"a\_b"#), (#"c:\d"#, #"c:\\d"#), ("plain", "plain"), ("", ""), ("%_\\", #"\%\_\\"#),
    ])
    func likePatternsMatchTypedTextLiterally(typed: String, pattern: String) {
        #expect(LikePattern.escaped(typed) == pattern)
    }
}
