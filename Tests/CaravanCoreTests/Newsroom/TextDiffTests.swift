import CaravanCore
import Testing

private func same(_ text: String) -> TextDiff.Piece { TextDiff.Piece(.same, text) }
private func added(_ text: String) -> TextDiff.Piece { TextDiff.Piece(.added, text) }
private func removed(_ text: String) -> TextDiff.Piece { TextDiff.Piece(.removed, text) }

/// The text a reader of one side sees: the unchanged pieces with that side's own.
private func joined(_ pieces: [TextDiff.Piece], _ kinds: Set<TextDiff.Kind>) -> String {
    pieces.filter { kinds.contains($0.kind) }.map(\.text).joined()
}

@Suite("Text diff: what changed between two revisions, word by word")
struct TextDiffTests {
    @Test(
        arguments: [
            ("", "", []),
            ("Same text.", "Same text.", [same("Same text.")]),
            ("", "New story.", [added("New story.")]),
            ("Old story.", "", [removed("Old story.")]),
            (
                "The port adds berths.", "The port adds new berths.",
                [same("The port adds "), added("new "), same("berths.")]
            ),
            (
                "The port adds new berths.", "The port adds berths.",
                [same("The port adds "), removed("new "), same("berths.")]
            ),
            // A replaced word reads as the old struck out, then the new.
            (
                "The port adds new berths.", "The port adds six berths.",
                [same("The port adds "), removed("new"), added("six"), same(" berths.")]
            ),
            (
                "Prices rose sharply today.", "Prices fell slightly today.",
                [same("Prices "), removed("rose sharply"), added("fell slightly"), same(" today.")]
            ),
            // Words added at either end, or a sentence added to a paragraph, do not show the neighbouring word as replaced.
            ("Trade grew", "Trade grew fast", [same("Trade grew"), added(" fast")]),
            ("port adds berths", "Aktau port adds berths", [added("Aktau "), same("port adds berths")]),
            (
                "Rail freight grew.\n\nPorts were busy.", "Rail freight grew. Trucks too.\n\nPorts were busy.",
                [same("Rail freight grew."), added(" Trucks too."), same("\n\nPorts were busy.")]
            ),
            ("Курс тенге вырос.", "Курс тенге упал.", [same("Курс тенге "), removed("вырос."), added("упал.")]),
            ("Two  spaces", "Two spaces", [same("Two"), removed("  "), added(" "), same("spaces")]),
            ("one two", "three four", [removed("one two"), added("three four")]),
        ] as [(String, String, [TextDiff.Piece])])
    func compare(old: String, new: String, pieces: [TextDiff.Piece]) {
        #expect(TextDiff.compare(old, new) == pieces)
    }

    /// Whatever the edit, the pieces put each side back together exactly, and read cleanly:
    /// no empty piece, no two pieces of one kind in a row, and in each stretch of changes the removals first.
    @Test(arguments: [
        ("", "a"),
        ("a", ""),
        ("The port adds berths.", "The port adds new berths."),
        ("  leading and trailing  ", "leading and trailing"),
        ("a b c", "c b a"),
        ("the the the", "the cat the"),
        ("Line one\r\nLine two\r\n", "Line one\nLine two\n"),
        ("Қазақстан 🇰🇿 және Өзбекстан 🇺🇿", "Өзбекстан 🇺🇿 және Қазақстан 🇰🇿"),
        (
            "# Heading\n\nFirst para.\n\n- item\n- item two\n",
            "# New heading\n\nFirst para, longer.\n\n- item two\n- item\n\nEnd."
        ),
        ("\n\n\n", "\n \n"),
        ("word", "word "),
        (
            "Rail freight grew fast this year across the region.",
            "Road freight fell this spring across the whole region!"
        ),
    ])
    func piecesRebuildBothSides(old: String, new: String) {
        let pieces = TextDiff.compare(old, new)
        #expect(joined(pieces, [.same, .added]) == new)
        #expect(joined(pieces, [.same, .removed]) == old)
        #expect(pieces.allSatisfy { !$0.text.isEmpty })
        for (first, second) in zip(pieces, pieces.dropFirst()) {
            #expect(first.kind != second.kind, "\(pieces)")
            #expect(!(first.kind == .added && second.kind == .removed), "\(pieces)")
        }
    }
}

@Suite("Text diff: long stories")
struct TextDiffLongTextTests {
    /// Thirty paragraphs of eighty different words: 2,400 words, too many to compare every word with every word.
    static let paragraphs = (0..<30).map { paragraph in
        (0..<80).map { "w\(paragraph)x\($0)" }.joined(separator: " ")
    }
    static let story = paragraphs.joined(separator: "\n")

    /// Long pieces shortened, so a failure reads in a line or two.
    static func brief(_ pieces: [TextDiff.Piece]) -> Comment {
        Comment(
            rawValue: pieces.map { "\($0.kind) \($0.text.count) chars: \($0.text.prefix(24).debugDescription)…" }
                .joined(separator: "; "))
    }

    static func expect(
        _ old: String, _ new: String, give expected: [TextDiff.Piece], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let pieces = TextDiff.compare(old, new)
        let matches = pieces == expected
        #expect(matches, brief(pieces), sourceLocation: sourceLocation)
        let rebuilt = joined(pieces, [.same, .added]) == new && joined(pieces, [.same, .removed]) == old
        #expect(rebuilt, sourceLocation: sourceLocation)
    }

    @Test func oneWordChangedInALongStoryStillShowsTheWord() {
        let edited = Self.story.replacingOccurrences(of: " w15x40 ", with: " changed ")
        let cut = Self.story.range(of: " w15x40 ")!
        Self.expect(
            Self.story, edited,
            give: [
                same(String(Self.story[..<cut.lowerBound]) + " "), removed("w15x40"), added("changed"),
                same(" " + String(Self.story[cut.upperBound...])),
            ])
    }

    @Test func editsAtBothEndsOfALongStoryAreShownByWholeParagraphs() {
        var paragraphs = Self.paragraphs
        paragraphs[0] = paragraphs[0].replacingOccurrences(of: "w0x0 ", with: "Start ")
        paragraphs[29] = paragraphs[29].replacingOccurrences(of: " w29x79", with: " end.")
        let middle = Self.paragraphs[1...28].joined(separator: "\n") + "\n"
        Self.expect(
            Self.story, paragraphs.joined(separator: "\n"),
            give: [
                removed(Self.paragraphs[0] + "\n"), added(paragraphs[0] + "\n"), same(middle),
                removed(Self.paragraphs[29]), added(paragraphs[29]),
            ])
    }

    /// Past the memory limit even line by line, the changed middle is shown as the old text, then the new.
    @Test func aRewriteTooLargeToCompareLineByLineIsShownAsOldThenNew() {
        let old = (0..<2_100).map { "line \($0)" }.joined(separator: "\n")
        let new = "first\n" + (1..<2_099).map { "line \($0)" }.joined(separator: "\n") + "\nlast"
        Self.expect(old, new, give: [removed(old), added(new)])
        Self.expect("intro\n" + old, "intro\n" + new, give: [same("intro\n"), removed(old), added(new)])
    }
}
