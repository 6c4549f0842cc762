import Testing

@testable import CaravanSearch

@Suite("The FTS5 syntax checker used by the other tests")
struct FTS5SyntaxCheckerTests {
    static let valid: [String] = [
        #""a""#,
        #""a b"*"#,
        #""a" AND "b""#,
        #"("a" OR "b") AND "c""#,
        #"("a" AND "b") NOT ("c" OR "d")"#,
        #""Қазақстан""#,
    ]

    @Test("accepts the forms the compiler emits", arguments: valid)
    func accepts(expression: String) throws {
        _ = try FTS5SyntaxChecker.check(expression)
    }

    static let invalid: [String] = [
        "", "a", #""a" AND"#, #"NOT "a""#, #""a"#, #"("a""#, #""a" OR ("b""#, #""a"**"#, #""""#,
        #""😀""#, #""a  b""#, #"" a""#, #""a" "b""#, #""a" AND NOT "b""#, #""a":"b""#, #"^"a""#,
        #"{title}: "a""#, #"NEAR("a" "b")"#, #""a" + "b""#,
        // Valid FTS5, but never emitted: a string that is not single-spaced tokens (here a doubled quote).
        #""a""b""#,
    ]

    @Test("rejects broken expressions, and forms the compiler never emits", arguments: invalid)
    func rejects(expression: String) {
        #expect(throws: FTS5SyntaxChecker.Failure.self) { try FTS5SyntaxChecker.check(expression) }
    }

    @Test("reports strings, prefixes and negated strings")
    func report() throws {
        let report = try FTS5SyntaxChecker.check(#"("elect"* AND "results") NOT ("exit poll" OR "fraud")"#)
        #expect(report.strings == ["elect", "results", "exit poll", "fraud"])
        #expect(report.prefixes == 1)
        #expect(report.negated == ["exit poll", "fraud"])
    }
}
