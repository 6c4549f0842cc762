import CaravanCore
import Foundation
import Testing

@Suite("Article JSON Lines: each bad line says what and where")
struct ArticleLineTests {
    let zone = TimeZone(identifier: "Asia/Almaty")!

    func parse(_ line: String) throws(ArticleLine.Problem) -> ArticleSubmission {
        try ArticleLine.parse(Array(line.utf8), timeZone: zone)
    }

    @Test func aFullLineParses() throws {
        let story = try parse(
            #"{"id":"a1","title":" Rogun ","body":"Text","published":"2025-02-08","section":"Energy","countries":["tj","UZ","TJ"],"tags":["water"," ",""],"author":"A. Writer","language":"ru","slug":"Рогун ГЭС","extra":42}"#)
        #expect(story.id == "a1")
        #expect(story.title == "Rogun")
        #expect(story.countries == [.tajikistan, .uzbekistan])
        #expect(story.tags == ["water"])
        #expect(story.language == .ru)
        #expect(story.slug == "rogun-ges")
        #expect(story.section == "Energy")
        #expect(story.published.map(DateLine.iso8601) == "2025-02-07T19:00:00Z")
    }

    @Test func categoryStandsInForSection() throws {
        #expect(try parse(#"{"id":"1","title":"T","body":"","category":"earn"}"#).section == "earn")
    }

    @Test func numericIdsAreAccepted() throws {
        #expect(try parse(#"{"id":17,"title":"T","body":"B"}"#).id == "17")
    }

    @Test(arguments: [
        (#"{"id":"1","title":"T""#, nil, "not valid JSON"),
        (#"["id"]"#, nil, "expected a JSON object, found an array"),
        (#"{"title":"T","body":"B"}"#, "id", "missing"),
        (#"{"id":"","title":"T","body":"B"}"#, "id", "is empty"),
        (#"{"id":true,"title":"T","body":"B"}"#, "id", "expected a string, found a boolean"),
        (#"{"id":"1","title":"","body":"  "}"#, "title", "title and body are both missing or empty"),
        (#"{"id":"1"}"#, "title", "title and body are both missing or empty"),
        (#"{"id":"1","title":5,"body":"B"}"#, "title", "expected a string, found a number"),
        (#"{"id":"1","title":"T","published":"08/02/2025"}"#, "published", "is not an ISO 8601 date"),
        (#"{"id":"1","title":"T","published":"2025-02-30"}"#, "published", "is not an ISO 8601 date"),
        (#"{"id":"1","title":"T","countries":["KZ","XX"]}"#, "countries", "unknown country code \"XX\""),
        (#"{"id":"1","title":"T","countries":[1]}"#, "countries", "item 1 is a number"),
        (#"{"id":"1","title":"T","tags":{"a":1}}"#, "tags", "expected an array of strings, found an object"),
        (#"{"id":"1","title":"T","language":"kk"}"#, "language", "is not one of en, ru"),
        // A NUL would cut the text short where C libraries render and index it.
        (#"{"id":"1","title":"Grain\u0000 exports","body":"B"}"#, "title", "contains a NUL character (\\u0000) at byte 6"),
        (#"{"id":"1","title":"T","body":"One.\u0000"}"#, "body", "contains a NUL character"),
        (#"{"id":"1","title":"T","tags":["ok","b\u0000d"]}"#, "tags", "contains a NUL character"),
    ] as [(String, String?, String)])
    func badLines(line: String, field: String?, reason: String) {
        #expect {
            _ = try parse(line)
        } throws: { error in
            guard let problem = error as? ArticleLine.Problem else { return false }
            return problem.field == field && problem.description.contains(reason)
        }
    }

    @Test func invalidUTF8SaysWhere() {
        var bytes = Array(#"{"id":"1","title":"ab"#.utf8)
        bytes.append(0xFF)
        bytes += Array(#""}"#.utf8)
        #expect {
            _ = try ArticleLine.parse(bytes, timeZone: zone)
        } throws: { error in
            (error as? ArticleLine.Problem)?.description == "line is not valid UTF-8 (first bad byte at column 22)"
        }
    }

    @Test func anOverlongLineIsRefusedBeforeParsing() {
        let bytes = [UInt8](repeating: 32, count: ArticleLine.maximumBytes + 1)
        #expect {
            _ = try ArticleLine.parse(bytes, timeZone: zone)
        } throws: { error in
            (error as? ArticleLine.Problem)?.description.contains("over the 8.0 MB limit") == true
        }
    }
}
