import CaravanCore

/// A token of a text as FTS5's tokenizer reads it: where it stands (UTF-8 byte offsets) and which of the query's
/// wanted terms it is (bit `i` for `WantedTerms.entries[i]`).
public struct MarkableToken: Sendable, Hashable {
    public let start: Int32
    public let end: Int32
    public let wanted: UInt64

    public init(start: Int32, end: Int32, wanted: UInt64) {
        self.start = start
        self.end = end
        self.wanted = wanted
    }
}

/// The distinct stemmed terms of a query's phrases, so that a tokenizer can say which ones a token is as it reads
/// the token's bytes, without making a string of every token. Only the first 64 take part in marking (a query has at
/// most 32 terms; more distinct tokens than 64 would only lose some marks, never results).
public struct WantedTerms: Sendable {
    public struct Entry: Sendable, Hashable {
        public let bytes: [UInt8]
        public let isPrefix: Bool
    }

    public private(set) var entries: [Entry] = []
    /// For each phrase, the entry of each of its tokens (nil when past the 64th entry).
    public private(set) var phrases: [[Int?]] = []

    public init(_ phrases: [ArchiveIndex.Phrase]) {
        var numbers: [Entry: Int] = [:]
        for phrase in phrases {
            self.phrases.append(
                phrase.tokens.enumerated().map { k, token in
                    let entry = Entry(
                        bytes: Array(token.utf8), isPrefix: phrase.isPrefix && k == phrase.tokens.count - 1)
                    if let number = numbers[entry] { return number }
                    guard entries.count < 64 else { return nil }
                    numbers[entry] = entries.count
                    entries.append(entry)
                    return entries.count - 1
                })
        }
    }

    /// Which entries a token with these bytes is.
    public func bits(_ token: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var bits: UInt64 = 0
        for (number, entry) in entries.enumerated() {
            let matches =
                entry.isPrefix
                ? token.count >= entry.bytes.count && token.prefix(entry.bytes.count).elementsEqual(entry.bytes)
                : token.count == entry.bytes.count && token.elementsEqual(entry.bytes)
            if matches { bits |= 1 << UInt64(number) }
        }
        return bits
    }
}

/// Titles and passages with the query's matches in `<mark>`, made from the tokens FTS5's tokenizer gives, so every
/// form FTS5 matched is marked ("repatriation" marks "repatriated") without asking FTS5 to read each story again.
/// Text is escaped as it is copied, so nothing in a story reaches the page as markup.
public enum Passage {
    /// Where one phrase of the query occurs: its number in the query and its first and last token.
    public struct Instance: Sendable, Hashable {
        public let phrase: Int
        public let first: Int
        public let last: Int
    }

    /// Every occurrence of every phrase, in token order.
    public static func instances(of wanted: WantedTerms, in tokens: [MarkableToken]) -> [Instance] {
        instances(of: wanted, count: tokens.count) { tokens[$0].wanted }
    }

    /// Every occurrence of every phrase, in token order, from which wanted terms the token at each position is.
    public static func instances(of wanted: WantedTerms, in bits: [UInt64]) -> [Instance] {
        instances(of: wanted, count: bits.count) { bits[$0] }
    }

    private static func instances(of wanted: WantedTerms, count: Int, bits: (Int) -> UInt64) -> [Instance] {
        var found: [Instance] = []
        for first in 0..<count where bits(first) != 0 {
            for (number, phrase) in wanted.phrases.enumerated() where !phrase.isEmpty {
                let last = first + phrase.count - 1
                guard last < count else { continue }
                var matches = true
                for (k, entry) in phrase.enumerated() {
                    guard let entry, bits(first + k) & (1 << UInt64(entry)) != 0 else {
                        matches = false
                        break
                    }
                }
                if matches { found.append(Instance(phrase: number, first: first, last: last)) }
            }
        }
        return found
    }

    /// The whole text as HTML, each match marked (overlapping matches share one mark).
    public static func markedHTML(_ text: String, tokens: [MarkableToken], instances: [Instance]) -> String {
        html(text, tokens: tokens, instances: instances, from: 0, to: tokens.count)
    }

    /// About `length` tokens of the text around its best stretch of matches, as HTML: the stretch holding the most
    /// different phrases (then the most matches, then the earliest), centred on them, with an ellipsis where the
    /// text is cut. With no match it is the text's beginning, unmarked.
    public static func passageHTML(
        _ text: String, tokens: [MarkableToken], instances: [Instance], length: Int = passageLength,
        ellipsis: String = Highlight.ellipsis
    ) -> String {
        guard let window = window(tokenCount: tokens.count, instances: instances, length: length) else {
            return markedHTML(text, tokens: tokens, instances: instances)
        }
        return passageHTML(text, tokens: tokens, tokenCount: tokens.count, instances: instances, window: window)
    }

    /// How many tokens a passage holds.
    public static let passageLength = 30

    /// Which tokens the passage of a text of `tokenCount` tokens holds (see `passageHTML`), or nil when the passage
    /// is the whole text.
    public static func window(tokenCount: Int, instances: [Instance], length: Int = passageLength) -> Range<Int>? {
        guard tokenCount > length else { return nil }
        var best = (score: -1, start: 0)
        // The phrases seen in a stretch as bits, which a query of up to 64 phrases allows (a set otherwise).
        let fewPhrases = instances.allSatisfy { $0.phrase < 64 }
        for (index, instance) in instances.enumerated() {
            let limit = instance.first + length
            var bits: UInt64 = 0
            var many = Set<Int>()
            var count = 0
            var last = instance.last
            for other in instances[index...] {
                if other.first >= limit { break }
                guard other.last < limit else { continue }
                if fewPhrases { bits |= 1 << UInt64(other.phrase) } else { many.insert(other.phrase) }
                count += 1
                last = max(last, other.last)
            }
            let score = (fewPhrases ? bits.nonzeroBitCount : many.count) * 1_000 + count
            guard score > best.score else { continue }
            let centred = instance.first - (length - (last - instance.first + 1)) / 2
            best = (score, min(max(0, centred), tokenCount - length))
        }
        return best.start..<(best.start + length)
    }

    /// The passage in `window` as HTML, from the tokens up to the window's end at least (the text may hold
    /// `tokenCount` in all), with an ellipsis where the text is cut.
    public static func passageHTML(
        _ text: String, tokens: [MarkableToken], tokenCount: Int, instances: [Instance], window: Range<Int>,
        ellipsis: String = Highlight.ellipsis
    ) -> String {
        precondition(tokens.count >= window.upperBound, "the tokens reach the window's end")
        var result = window.lowerBound > 0 ? ellipsis : ""
        result += html(
            text, tokens: tokens, instances: instances, from: window.lowerBound, to: window.upperBound,
            atEnd: window.upperBound == tokenCount)
        if window.upperBound < tokenCount { result += ellipsis }
        return result
    }

    /// Tokens `from..<to` as HTML, with the text before the first token when `from` is 0 and after the last when `to`
    /// is the end (`atEnd`, by default when `to` is the tokens' count), so a passage holding the whole text keeps its
    /// punctuation.
    static func html(
        _ text: String, tokens: [MarkableToken], instances: [Instance], from: Int, to: Int, atEnd: Bool? = nil
    ) -> String {
        guard !tokens.isEmpty else { return HTMLSanitizer.escapeAttribute(text) }
        var text = text
        return text.withUTF8 { bytes in
            let startByte = from == 0 ? 0 : Int(tokens[from].start)
            let endByte = atEnd ?? (to == tokens.count) ? bytes.count : Int(tokens[to - 1].end)
            // Marks over the window, overlapping instances merged.
            var marks: [(first: Int, last: Int)] = []
            for instance in instances where instance.last >= from && instance.first < to {
                let first = max(instance.first, from)
                let last = min(instance.last, to - 1)
                if let previous = marks.last, first <= previous.last {
                    marks[marks.count - 1].last = max(previous.last, last)
                } else {
                    marks.append((first, last))
                }
            }
            var html: [UInt8] = []
            html.reserveCapacity(endByte - startByte + marks.count * 13 + 16)
            var cursor = startByte
            for mark in marks {
                let open = Int(tokens[mark.first].start)
                let close = Int(tokens[mark.last].end)
                HTMLSanitizer.appendEscaped(bytes[cursor..<open], to: &html)
                html += "<mark>".utf8
                HTMLSanitizer.appendEscaped(bytes[open..<close], to: &html)
                html += "</mark>".utf8
                cursor = close
            }
            HTMLSanitizer.appendEscaped(bytes[cursor..<max(cursor, endByte)], to: &html)
            return String(decoding: html, as: UTF8.self)
        }
    }
}
