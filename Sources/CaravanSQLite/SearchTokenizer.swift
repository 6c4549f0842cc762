import CaravanSearch
import CaravanStorage
import Foundation
import GRDB

/// FTS5's own tokenizer for the search table, called directly: the archive index and its queries get exactly the
/// stemmed tokens FTS5 stores and looks for, because they come out of the same C code.
struct SearchTokenizer: ArchiveTokenizer {
    /// The `tokenize` option of `article_search`, word for word.
    static let descriptor = FTS5TokenizerDescriptor(components: ["porter", "unicode61", "remove_diacritics", "2"])

    /// The same without the stemmer: porter stems each token of unicode61 in place, so the two cut a text into the
    /// same tokens at the same offsets, and this one, doing less per token, finds where they stand sooner.
    static let boundaries = FTS5TokenizerDescriptor(components: ["unicode61", "remove_diacritics", "2"])

    private let tokenizer: any FTS5Tokenizer
    private let boundaryTokenizer: any FTS5Tokenizer

    /// Usable only inside the database access it was made in (GRDB's rule for tokenizers).
    init(_ db: Database) throws {
        tokenizer = try db.makeTokenizer(Self.descriptor)
        boundaryTokenizer = try db.makeTokenizer(Self.boundaries)
    }

    /// Runs the tokenizer over `text`, handing each token's bytes and UTF-8 offsets to `body`.
    /// `body` says whether to go on.
    private func forEachToken(
        in text: String, as tokenization: FTS5Tokenization, tokenizer: (any FTS5Tokenizer)? = nil,
        _ body: (_ token: UnsafeBufferPointer<UInt8>, _ start: Int32, _ end: Int32) -> Bool
    ) throws {
        typealias Body = (UnsafeBufferPointer<UInt8>, Int32, Int32) -> Bool
        let tokenizer = tokenizer ?? self.tokenizer
        var text = text
        let code = text.withUTF8 { bytes -> CInt in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
            return withoutActuallyEscaping(body) { body in
                var box: Body = body
                return withUnsafeMutablePointer(to: &box) { context in
                    base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
                        tokenizer.tokenize(
                            context: UnsafeMutableRawPointer(context), tokenization: tokenization, pText: characters,
                            nText: CInt(bytes.count)
                        ) { context, _, token, length, start, end in
                            guard let context, let token else { return 0 }  // SQLITE_OK
                            let body = context.assumingMemoryBound(to: Body.self).pointee
                            let goOn = token.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                                body(UnsafeBufferPointer(start: $0, count: Int(length)), start, end)
                            }
                            return goOn ? 0 : Self.stopped  // SQLITE_OK, or stop here
                        }
                    }
                }
            }
        }
        // Out of memory, say: better a failed search than a story indexed with some of its words missing.
        if code != 0 && code != Self.stopped { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }

    /// What the token callback returns to end the reading early (SQLITE_DONE, which no tokenizer fails with).
    private static let stopped: CInt = 101

    /// The stemmed terms of a text, as FTS5 reads a document, or a query (`prefix` for a quoted string ending in `*`).
    func terms(of text: String, as use: TokenUse = .document) throws -> [String] {
        let tokenization: FTS5Tokenization =
            switch use {
            case .document: .document
            case .query: .query
            case .prefix: [.query, .prefix]
            }
        var terms: [String] = []
        try forEachToken(in: text, as: tokenization) { token, _, _ in
            terms.append(String(decoding: token, as: UTF8.self))
            return true
        }
        return terms
    }

    /// The tokens of a text with where each stands and which wanted terms it is; no string is made per token.
    func markableTokens(of text: String, wanted: WantedTerms) throws -> [MarkableToken] {
        var tokens: [MarkableToken] = []
        try forEachToken(in: text, as: .document) { token, start, end in
            tokens.append(MarkableToken(start: start, end: end, wanted: wanted.bits(token)))
            return true
        }
        return tokens
    }

    /// Where the first `count` tokens of a text stand (fewer when the text holds fewer), with no term marked: for a
    /// passage whose marks the archive index already knows.
    func tokens(of text: String, through count: Int) throws -> [MarkableToken] {
        var tokens: [MarkableToken] = []
        guard count > 0 else { return tokens }
        tokens.reserveCapacity(count)
        try forEachToken(in: text, as: .document, tokenizer: boundaryTokenizer) { _, start, end in
            tokens.append(MarkableToken(start: start, end: end, wanted: 0))
            return tokens.count < count
        }
        return tokens
    }
}
