import CaravanCore
import Foundation

/// A submission with its HTML, plain text, excerpt and fingerprint worked out.
package struct PreparedArticle: Sendable {
    package let submission: ArticleSubmission
    package let html: String
    package let text: String
    package let excerpt: String
    package let hash: String

    package init(_ original: ArticleSubmission) {
        var submission = original
        // The search highlighter marks matches with these private-use characters; a story must not carry its own.
        submission.title = Self.withoutMarkers(submission.title)
        submission.standfirst = Self.withoutMarkers(submission.standfirst)
        submission.body = Self.withoutMarkers(submission.body)
        // A country once, where it was first given, on either engine (a story is filed under it once).
        var seen: Set<Country> = []
        submission.countries = submission.countries.filter { seen.insert($0).inserted }
        self.submission = submission
        (html, text, excerpt) = Self.rendered(body: submission.body, standfirst: submission.standfirst)
        hash = Fingerprint.of(original)
    }

    /// What a stored body becomes on the page, in search and in teasers.
    package static func rendered(body: String, standfirst: String) -> (html: String, text: String, excerpt: String) {
        let html = ArticleBody.html(fromMarkdown: body)
        let text = PlainText.fromHTML(html).trimmingCharacters(in: .whitespacesAndNewlines)
        return (html, text, ArticleBody.excerpt(standfirst: standfirst, bodyHTML: html))
    }

    package static func withoutMarkers(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\u{E000}" || $0 == "\u{E001}" }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{E000}" && $0 != "\u{E001}" }))
    }

    /// Renders a batch on every core; the order of the result matches the input.
    package static func prepareConcurrently(_ submissions: [ArticleSubmission]) async -> [PreparedArticle] {
        let chunkCount = min(max(1, ProcessInfo.processInfo.activeProcessorCount), max(1, submissions.count / 16))
        guard chunkCount > 1 else { return submissions.map(PreparedArticle.init) }
        let chunkSize = (submissions.count + chunkCount - 1) / chunkCount
        return await withTaskGroup(of: (Int, [PreparedArticle]).self) { group in
            for (index, start) in stride(from: 0, to: submissions.count, by: chunkSize).enumerated() {
                let chunk = Array(submissions[start..<min(start + chunkSize, submissions.count)])
                group.addTask { (index, chunk.map(PreparedArticle.init)) }
            }
            var chunks: [Int: [PreparedArticle]] = [:]
            for await (index, prepared) in group { chunks[index] = prepared }
            return chunks.keys.sorted().flatMap { chunks[$0]! }
        }
    }

    /// What the slug is made from: the title, or the start of the body for a story without one.
    package var slugSource: String {
        submission.title.isEmpty ? String(text.prefix(60)) : submission.title
    }
}

/// A stable fingerprint of everything a submission says, to skip writes that change nothing.
package enum Fingerprint {
    package static func of(_ submission: ArticleSubmission) -> String {
        var hash = FNV1a()
        // Each field ends with a unit separator, so ("ab", "c") and ("a", "bc") differ.
        func mix(_ text: String) {
            hash.add(text.utf8)
            hash.add(CollectionOfOne(0x1f))
        }
        mix(submission.id.rawValue)
        mix(submission.title)
        mix(submission.standfirst)
        mix(submission.body)
        mix(submission.published.map { String(Int64($0.timeIntervalSince1970)) } ?? "")
        mix(submission.section ?? "")
        mix(submission.countries.map(\.code).joined(separator: ","))
        mix(submission.tags.joined(separator: "\u{1f}"))
        mix(submission.author ?? "")
        mix(submission.language.rawValue)
        mix(submission.slug ?? "")
        mix(submission.status.rawValue)
        // Only when given, so the fingerprints of stories stored before photographs existed stay as they were.
        if let image = submission.image { mix("image " + image) }
        return String(hash.value, radix: 16)
    }
}
