import CStemmer

/// How a text is read: a story's text, a query's words, or a query's last word typed as a prefix (`elect*`).
public enum TokenUse: Sendable {
    case document, query, prefix
}

/// What the archive index needs of a tokenizer: the stemmed terms a story is indexed under and a query looks for,
/// and where each token of a text stands (UTF-8 byte offsets), for marking titles and passages.
public protocol ArchiveTokenizer {
    func terms(of text: String, as use: TokenUse) throws -> [String]
    /// Every token of a text with which of the wanted terms it is.
    func markableTokens(of text: String, wanted: WantedTerms) throws -> [MarkableToken]
    /// Where the first `count` tokens of a text stand (fewer when the text holds fewer), none marked.
    func tokens(of text: String, through count: Int) throws -> [MarkableToken]
}

extension ArchiveTokenizer {
    /// A parsed query as the archive index runs it, each term tokenised as a query's words are.
    public func indexQuery(_ query: ParsedQuery) throws -> ArchiveIndex.Query {
        func phrase(_ term: ParsedQuery.Term) throws -> ArchiveIndex.Phrase {
            ArchiveIndex.Phrase(
                tokens: try terms(of: term.tokens.joined(separator: " "), as: term.isPrefix ? .prefix : .query),
                isPrefix: term.isPrefix)
        }
        return ArchiveIndex.Query(
            clauses: try query.clauses.map { try $0.terms.map(phrase) }, exclusions: try query.exclusions.map(phrase))
    }

    /// A story as the archive index holds it: its title, standfirst and body, each tokenised as a document.
    public func story(number: Int64, title: String, standfirst: String, body: String) throws -> ArchiveIndex.Story {
        ArchiveIndex.Story(
            number: number,
            columns: [try terms(of: title, as: .document), try terms(of: standfirst, as: .document),
                try terms(of: body, as: .document)])
    }
}

/// FTS5's `unicode61 remove_diacritics 2` cutting and folding (`FTS5Tokenizer`) with Snowball's Porter stemmer, the
/// algorithm FTS5's `porter` implements: the archive index's tokenizer where FTS5's own C code is not at hand.
/// The stems differ in two places only: FTS5 has Porter's later rule that makes "analogy" "analog" (Snowball keeps
/// "analogi"), and it reads a Latin letter beyond ASCII that folding keeps (`ß`) as a consonant byte by byte.
///
/// One per thread of work: Snowball's stemmer keeps its word in a buffer of its own.
public final class PorterTokenizer: ArchiveTokenizer {
    public enum Failure: Error, CustomStringConvertible {
        case stemmerUnavailable
        case outOfMemory

        public var description: String {
            switch self {
            case .stemmerUnavailable: "the Snowball library has no Porter stemmer"
            case .outOfMemory: "the Snowball stemmer ran out of memory"
            }
        }
    }

    private let stemmer: OpaquePointer
    static let stemmedLengths = 3...64

    public init() throws {
        guard let stemmer = sb_stemmer_new("porter", "UTF_8") else { throw Failure.stemmerUnavailable }
        self.stemmer = stemmer
    }

    deinit { sb_stemmer_delete(stemmer) }

    public func terms(of text: String, as use: TokenUse) throws -> [String] {
        var terms: [String] = []
        try forEachToken(in: text, stemmed: true) { token, _, _ in
            terms.append(String(decoding: token, as: UTF8.self))
            return true
        }
        return terms
    }

    public func markableTokens(of text: String, wanted: WantedTerms) throws -> [MarkableToken] {
        var tokens: [MarkableToken] = []
        try forEachToken(in: text, stemmed: true) { token, start, end in
            tokens.append(MarkableToken(start: start, end: end, wanted: wanted.bits(token)))
            return true
        }
        return tokens
    }

    public func tokens(of text: String, through count: Int) throws -> [MarkableToken] {
        var tokens: [MarkableToken] = []
        guard count > 0 else { return tokens }
        tokens.reserveCapacity(count)
        try forEachToken(in: text, stemmed: false) { _, start, end in
            tokens.append(MarkableToken(start: start, end: end, wanted: 0))
            return tokens.count < count
        }
        return tokens
    }

    /// Hands each token's folded (and, with `stemmed`, stemmed) bytes and its UTF-8 offsets in `text` to `body`,
    /// which says whether to go on.
    private func forEachToken(
        in text: String, stemmed: Bool, _ body: (UnsafeBufferPointer<UInt8>, Int32, Int32) -> Bool
    ) throws {
        var folded: [UInt8] = []
        var scratch = String.UnicodeScalarView()
        var offset = 0
        var start = -1
        func emit(endingAt end: Int) throws -> Bool {
            defer { folded.removeAll(keepingCapacity: true) }
            // FTS5's porter leaves tokens shorter than 3 bytes or longer than 64 as they are ("s" stays "s").
            guard stemmed, Self.stemmedLengths.contains(folded.count) else {
                return folded.withUnsafeBufferPointer { body($0, Int32(start), Int32(end)) }
            }
            let stem = folded.withUnsafeBufferPointer { sb_stemmer_stem(stemmer, $0.baseAddress, Int32($0.count)) }
            guard let stem else { throw Failure.outOfMemory }
            return body(UnsafeBufferPointer(start: stem, count: Int(sb_stemmer_length(stemmer))), Int32(start), Int32(end))
        }
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            if start >= 0 {
                if FTS5Tokenizer.isTokenContinuation(scalar) {
                    Self.appendFolded(scalar, to: &folded, scratch: &scratch)
                } else {
                    // A code point that ends a token cannot start the next one.
                    guard try emit(endingAt: offset) else { return }
                    start = -1
                }
            } else if FTS5Tokenizer.isTokenStart(scalar) {
                start = offset
                Self.appendFolded(scalar, to: &folded, scratch: &scratch)
            }
            offset += width
        }
        if start >= 0 { _ = try emit(endingAt: offset) }
    }

    private static func appendFolded(
        _ scalar: Unicode.Scalar, to folded: inout [UInt8], scratch: inout String.UnicodeScalarView
    ) {
        if scalar.isASCII {
            let byte = UInt8(scalar.value)
            folded.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            return
        }
        scratch.removeAll(keepingCapacity: true)
        FTS5Tokenizer.appendFolded(scalar, to: &scratch)
        for part in scratch { UTF8.encode(part) { folded.append($0) } }
    }
}
