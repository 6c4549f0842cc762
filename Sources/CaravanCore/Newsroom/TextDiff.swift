/// A word-by-word comparison of two texts, for showing what changed between revisions.
public enum TextDiff {
    public enum Kind: String, Sendable, Hashable {
        case same, added, removed
    }

    public struct Piece: Sendable, Hashable {
        public var kind: Kind
        public var text: String
        public init(_ kind: Kind, _ text: String) {
            self.kind = kind
            self.text = text
        }
    }

    /// Past this many cells the table would take too much memory; whole lines are compared instead, and past it
    /// even for lines, the changed middle is shown as removed then added without looking inside it.
    static let wordTableLimit = 4_000_000

    /// The pieces of `new`, with the words of `old` it lost marked removed and its own new words marked added.
    /// Joining the same and added pieces gives `new`; joining the same and removed pieces gives `old`.
    public static func compare(_ old: String, _ new: String) -> [Piece] {
        if old == new { return old.isEmpty ? [] : [Piece(.same, old)] }
        let oldWords = words(old)
        let newWords = words(new)
        // Only the middle between the common start and end needs a table: a small edit to a long story stays word by word.
        if tableCells(oldWords, newWords) <= wordTableLimit { return merge(diff(oldWords, newWords)) }
        let oldLines = lines(old)
        let newLines = lines(new)
        return merge(diff(oldLines, newLines, table: tableCells(oldLines, newLines) <= wordTableLimit))
    }

    /// Words and the runs of white space between them, so joining the tokens gives the text back and a word added
    /// at the end of a sentence does not drag its neighbour along.
    static func words(_ text: String) -> [Substring] {
        var tokens: [Substring] = []
        var index = text.startIndex
        while index < text.endIndex {
            let isSpace = text[index].isWhitespace
            var end = text.index(after: index)
            while end < text.endIndex && text[end].isWhitespace == isSpace { end = text.index(after: end) }
            tokens.append(text[index..<end])
            index = end
        }
        return tokens
    }

    /// Lines with their newline, so joining the pieces gives the text back.
    static func lines(_ text: String) -> [Substring] {
        var tokens: [Substring] = []
        var start = text.startIndex
        for index in text.indices where text[index] == "\n" {
            let end = text.index(after: index)
            tokens.append(text[start..<end])
            start = end
        }
        if start < text.endIndex { tokens.append(text[start...]) }
        return tokens
    }

    /// How many tokens the two sides share at the start and, after that, at the end.
    static func commonEnds(_ old: [Substring], _ new: [Substring]) -> (prefix: Int, suffix: Int) {
        let n = old.count
        let m = new.count
        var prefix = 0
        while prefix < n && prefix < m && old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < n - prefix && suffix < m - prefix && old[n - 1 - suffix] == new[m - 1 - suffix] { suffix += 1 }
        return (prefix, suffix)
    }

    /// The size of the table `diff` would build for the two sides.
    static func tableCells(_ old: [Substring], _ new: [Substring]) -> Int {
        let (prefix, suffix) = commonEnds(old, new)
        return (old.count - prefix - suffix + 1) * (new.count - prefix - suffix + 1)
    }

    /// Longest common subsequence, walked from the front. Without a table the middle is all removed, then all added.
    static func diff(_ old: [Substring], _ new: [Substring], table: Bool = true) -> [Piece] {
        let n = old.count
        let m = new.count
        // Common prefix and suffix cost nothing and shrink the table.
        let (prefix, suffix) = commonEnds(old, new)
        let a = Array(old[prefix..<(n - suffix)])
        let b = Array(new[prefix..<(m - suffix)])
        var pieces = old[0..<prefix].map { Piece(.same, String($0)) }
        guard table else {
            pieces += a.map { Piece(.removed, String($0)) } + b.map { Piece(.added, String($0)) }
            pieces += old[(n - suffix)..<n].map { Piece(.same, String($0)) }
            return pieces
        }
        // lengths[i][j]: the longest common subsequence of a[i...] and b[j...].
        let width = b.count + 1
        var lengths = [Int32](repeating: 0, count: (a.count + 1) * width)
        if !a.isEmpty && !b.isEmpty {
            for i in stride(from: a.count - 1, through: 0, by: -1) {
                for j in stride(from: b.count - 1, through: 0, by: -1) {
                    lengths[i * width + j] =
                        a[i] == b[j]
                        ? lengths[(i + 1) * width + j + 1] + 1
                        : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
                }
            }
        }
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count && j < b.count && a[i] == b[j] {
                pieces.append(Piece(.same, String(a[i])))
                i += 1
                j += 1
            } else if j < b.count && (i == a.count || lengths[i * width + j + 1] >= lengths[(i + 1) * width + j]) {
                pieces.append(Piece(.added, String(b[j])))
                j += 1
            } else {
                pieces.append(Piece(.removed, String(a[i])))
                i += 1
            }
        }
        pieces += old[(n - suffix)..<n].map { Piece(.same, String($0)) }
        return pieces
    }

    /// Runs of the same kind joined into one piece, removals before additions.
    /// White space kept between two changes joins them, so "rose sharply" → "fell slightly" reads as one replacement
    /// rather than two with a lone unchanged space between.
    static func merge(_ pieces: [Piece]) -> [Piece] {
        var merged: [Piece] = []
        var removed = ""
        var added = ""
        func flushChanges() {
            if !removed.isEmpty { merged.append(Piece(.removed, removed)) }
            if !added.isEmpty { merged.append(Piece(.added, added)) }
            removed = ""
            added = ""
        }
        for (index, piece) in pieces.enumerated() where !piece.text.isEmpty {
            switch piece.kind {
            case .removed:
                removed += piece.text
            case .added:
                added += piece.text
            case .same:
                let betweenChanges =
                    index > 0 && index < pieces.count - 1 && pieces[index - 1].kind != .same
                    && pieces[index + 1].kind != .same && piece.text.allSatisfy(\.isWhitespace)
                if betweenChanges {
                    removed += piece.text
                    added += piece.text
                } else {
                    flushChanges()
                    if let last = merged.last, last.kind == .same {
                        merged[merged.count - 1].text += piece.text
                    } else {
                        merged.append(piece)
                    }
                }
            }
        }
        flushChanges()
        return merged
    }
}
