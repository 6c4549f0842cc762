import CaravanCore
import Foundation
import Hummingbird

/// An address pattern written once (`/articles/:slug`): the router matches requests by it, and links are printed
/// from it with each capture escaped by the one path escaper.
struct Address: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case capture(String)
    }

    let segments: [Segment]
    /// The printed path of an address without captures, made once: most links print one of these.
    private let fixedPath: String?

    init(stringLiteral pattern: String) {
        self.init(
            segments: pattern.split(separator: "/").map { piece in
                piece.hasPrefix(":") ? .capture(String(piece.dropFirst())) : .literal(String(piece))
            })
    }

    private init(segments: [Segment]) {
        self.segments = segments
        let literals = segments.compactMap { if case .literal(let text) = $0 { text } else { nil } }
        fixedPath = literals.count == segments.count ? "/" + literals.joined(separator: "/") : nil
    }

    /// The pattern as the router reads it.
    var description: String {
        "/" + segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .capture(let name): ":" + name
            }
        }.joined(separator: "/")
    }

    var routerPath: RouterPath { RouterPath(description) }

    /// The names of the captures, in order.
    var captures: [String] {
        segments.compactMap { if case .capture(let name) = $0 { name } else { nil } }
    }

    /// A file or folder below this address: a listing's feed is the listing's address and `feed.xml`.
    func appending(_ literal: String) -> Address {
        Address(segments: segments + [.literal(literal)])
    }

    /// The path with its captures filled in order, each escaped.
    func path(_ values: String...) -> String { path(filling: values) }

    func path(filling values: [String]) -> String {
        if let fixedPath, values.isEmpty { return fixedPath }
        precondition(values.count == captures.count, "\(self) takes \(captures.count) values")
        var next = values.makeIterator()
        var path = segments.isEmpty ? "/" : ""
        for segment in segments {
            path.append("/")
            switch segment {
            case .literal(let text): path.append(text)
            case .capture: path.append(Self.escape(next.next()!))
            }
        }
        return path
    }

    /// The captures, decoded, when `path` (without its query) has this address's shape; nil otherwise.
    func match(_ path: String) -> [String: String]? {
        let pieces = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let parts = pieces.count == 1 && pieces.first == "" ? [] : Array(pieces)
        guard path.hasPrefix("/"), parts.count == segments.count else { return nil }
        var found: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text): guard part == text else { return nil }
            case .capture(let name):
                guard !part.isEmpty, let decoded = String(part).removingPercentEncoding else { return nil }
                found[name] = decoded
            }
        }
        return found
    }

    /// One path segment, safe in a link: slugs and ids are ASCII by construction, so most need nothing.
    static func escape(_ segment: String) -> String {
        // Building the character set costs more than the rest of a teaser, so plain segments skip it.
        if segment.utf8.allSatisfy(FormEncoding.isUnreserved) { return segment }
        return segment.addingPercentEncoding(withAllowedCharacters: pathAllowed) ?? segment
    }

    private static let pathAllowed = CharacterSet.urlPathAllowed.subtracting(["/", "?", "#"])
}

extension RouterMethods {
    @discardableResult
    func get(_ address: Address, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator)
        -> Self
    {
        get(address.routerPath, use: handler)
    }

    @discardableResult
    func post(_ address: Address, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator)
        -> Self
    {
        post(address.routerPath, use: handler)
    }
}
