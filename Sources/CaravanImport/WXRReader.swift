import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What a WordPress export says about the site, before its items.
public struct WXRSite: Sendable {
    public var title = ""
    public var link = ""
    public var baseSiteURL = ""
    public var baseBlogURL = ""
    public var version = ""
    /// login → display name
    public var authors: [String: String] = [:]
    /// nicename → (name, parent's nicename)
    public var categories: [String: (name: String, parent: String)] = [:]
    /// slug → name
    public var tags: [String: String] = [:]
}

/// One `<item>` of a WordPress export: a post, page, attachment, revision or anything a plugin added.
public struct WXRItem: Sendable {
    public var line = 0
    public var title = ""
    public var link = ""
    public var guid = ""
    public var creator = ""
    public var content = ""
    public var excerpt = ""
    public var postID: Int?
    public var postDate = ""
    public var postDateGMT = ""
    public var postName = ""
    public var status = ""
    public var postType = ""
    public var parent: Int?
    public var password = ""
    public var sticky = false
    public var attachmentURL = ""
    /// (domain, nicename, name): `category` or `post_tag`.
    public var terms: [(domain: String, nicename: String, name: String)] = []
    public var meta: [String: [String]] = [:]

    public func meta(_ key: String) -> String? { meta[key]?.first }
}

/// Why an export cannot be read, with where.
public struct WXRError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Reads a WordPress export (WXR 1.0 to 1.2, either spelling of its namespace) as a stream: one item at a time, in
/// constant memory, whatever the file's size. The parser runs on a thread of its own and waits while the reader
/// has more than a few items in hand.
public final class WXRReader: @unchecked Sendable {
    public enum Event: Sendable {
        case site(WXRSite)
        case item(WXRItem)
    }

    private let path: String

    public init(path: String) {
        self.path = path
    }

    /// The events of a file; taking one lets the parser read one more.
    public struct Events: AsyncSequence, Sendable {
        let stream: AsyncThrowingStream<Event, any Error>
        let room: DispatchSemaphore

        public struct AsyncIterator: AsyncIteratorProtocol {
            var base: AsyncThrowingStream<Event, any Error>.AsyncIterator
            let room: DispatchSemaphore

            public mutating func next() async throws -> Event? {
                let event = try await base.next()
                room.signal()
                return event
            }
        }

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: stream.makeAsyncIterator(), room: room) }
    }

    /// Every event of the file in order: the site once, before the first item (or at the end when it has none).
    public func events() -> Events {
        let (stream, continuation) = AsyncThrowingStream<Event, any Error>.makeStream()
        let room = DispatchSemaphore(value: 32)
        let cancelled = ManagedAtomicFlag()
        continuation.onTermination = { _ in
            cancelled.set()
            room.signal()
        }
        let path = path
        let thread = Thread {
            // FoundationXML traps on an element name that is not UTF-8 instead of reporting it: say where first.
            if let problem = Self.invalidUTF8(path) {
                continuation.finish(throwing: WXRError("\(path):\(problem.line):\(problem.column): the file is not valid UTF-8 there"))
                return
            }
            guard let input = InputStream(fileAtPath: path) else {
                continuation.finish(throwing: WXRError("cannot read \(path)"))
                return
            }
            let parser = XMLParser(stream: input)
            parser.shouldProcessNamespaces = true
            parser.shouldResolveExternalEntities = false
            let delegate = Delegate { event in
                guard !cancelled.isSet else { return false }
                room.wait()
                guard !cancelled.isSet else { return false }
                continuation.yield(event)
                return true
            }
            parser.delegate = delegate
            let finished = parser.parse()
            if cancelled.isSet { return continuation.finish() }
            if let failure = delegate.failure {
                return continuation.finish(throwing: failure)
            }
            if !finished {
                let reason = parser.parserError.map { Self.describe($0) } ?? "the document is not well-formed"
                return continuation.finish(
                    throwing: WXRError("\(path):\(parser.lineNumber):\(parser.columnNumber): malformed XML: \(reason)"))
            }
            guard delegate.sawWordPress else {
                return continuation.finish(
                    throwing: WXRError(
                        "\(path) is not a WordPress export: \(delegate.rootName.map { "its root element is <\($0)>" } ?? "it holds no XML element")"
                            + (delegate.rootName == "rss" ? " with no wp: (WordPress export) elements; it looks like an ordinary RSS feed" : "")))
            }
            if !delegate.sentSite { _ = delegate.send(.site(delegate.site)) }
            continuation.finish()
        }
        thread.stackSize = 1 << 22
        thread.start()
        return Events(stream: stream, room: room)
    }

    /// The line and column (in bytes) of the first byte that breaks UTF-8, read a megabyte at a time; nil when
    /// the whole file is valid (or cannot be opened, which the parser then reports).
    static func invalidUTF8(_ path: String) -> (line: Int, column: Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var line = 1
        var column = 0
        var needed = 0  // continuation bytes still owed by the sequence under way
        var lowest: UInt8 = 0x80, highest: UInt8 = 0xBF  // the next byte's range (overlongs and surrogates refused)
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            for byte in chunk {
                column += 1
                if needed > 0 {
                    guard byte >= lowest && byte <= highest else { return (line, column) }
                    (lowest, highest) = (0x80, 0xBF)
                    needed -= 1
                    continue
                }
                switch byte {
                case 0x0A:
                    line += 1
                    column = 0
                case 0x00...0x7F: break
                case 0xC2...0xDF: needed = 1
                case 0xE0: (needed, lowest) = (2, 0xA0)
                case 0xED: (needed, highest) = (2, 0x9F)
                case 0xE1...0xEF: needed = 2
                case 0xF0: (needed, lowest) = (3, 0x90)
                case 0xF4: (needed, highest) = (3, 0x8F)
                case 0xF1...0xF3: needed = 3
                default: return (line, column)
                }
            }
        }
        return needed > 0 ? (line, column) : nil
    }

    /// Says what libxml2 found, in words (Foundation on Linux gives only its number).
    static func describe(_ error: any Error) -> String {
        let code = (error as NSError).code
        let words: [Int: String] = [
            4: "the document is empty or does not start with an element", 5: "there is more after the root element",
            9: "a character that XML does not allow", 23: "an entity reference without its semicolon",
            26: "an entity that is not defined (HTML's &nbsp; is not XML)", 38: "an attribute value without quotes",
            39: "a < inside an attribute value", 41: "an attribute without a value", 68: "a name is missing",
            73: "a > is missing", 76: "an element closed by the wrong end tag", 77: "the document ends inside an element",
            64: "the XML declaration is malformed", 32: "the document's encoding is not valid UTF-8",
        ]
        return words[code] ?? "libxml2 error \(code)"
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        let send: (Event) -> Bool
        var site = WXRSite()
        var sentSite = false
        var sawWordPress = false
        var rootName: String?
        var failure: WXRError?
        private var stack: [String] = []
        private var text = ""
        private var item: WXRItem?
        private var metaKey = ""
        private var metaValue = ""
        private var term: (domain: String, nicename: String)?
        private var author = (login: "", name: "")
        private var category = (nicename: "", name: "", parent: "")
        private var tag = (slug: "", name: "")

        init(send: @escaping (Event) -> Bool) {
            self.send = send
        }

        static func isWordPress(_ namespace: String?) -> Bool {
            guard let namespace else { return false }
            return namespace.hasPrefix("http://wordpress.org/export/") || namespace.hasPrefix("https://wordpress.org/export/")
        }

        /// `wp:post_id` as `wp.post_id`, `content:encoded` as `content.encoded`, `title` as itself.
        static func key(_ name: String, _ namespace: String?) -> String {
            guard let namespace, !namespace.isEmpty else { return name }
            if isWordPress(namespace) {
                return namespace.contains("/excerpt") ? "excerpt." + name : "wp." + name
            }
            if namespace.hasPrefix("http://purl.org/rss/1.0/modules/content") { return "content." + name }
            if namespace.hasPrefix("http://purl.org/dc/elements") { return "dc." + name }
            return namespace + "#" + name
        }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if rootName == nil { rootName = name }
            if Self.isWordPress(namespaceURI) { sawWordPress = true }
            let key = Self.key(name, namespaceURI)
            stack.append(key)
            text = ""
            switch key {
            case "item":
                if !sentSite {
                    sentSite = true
                    guard send(.site(site)) else { return parser.abortParsing() }
                }
                item = WXRItem()
                item?.line = parser.lineNumber
            case "category" where item != nil:
                term = (attributes["domain"] ?? "category", attributes["nicename"] ?? "")
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, foundCDATA block: Data) { text += String(decoding: block, as: UTF8.self) }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let key = stack.popLast() ?? name
            let value = text
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            text = ""
            if item != nil {
                endInItem(key, value, trimmed, parser)
            } else {
                endInChannel(key, trimmed)
            }
        }

        private func endInItem(_ key: String, _ value: String, _ trimmed: String, _ parser: XMLParser) {
            switch key {
            case "title": item?.title = trimmed
            case "link": item?.link = trimmed
            case "guid": item?.guid = trimmed
            case "dc.creator": item?.creator = trimmed
            case "content.encoded": item?.content = value
            case "excerpt.encoded": item?.excerpt = trimmed
            case "wp.post_id": item?.postID = Int(trimmed)
            case "wp.post_date": item?.postDate = trimmed
            case "wp.post_date_gmt": item?.postDateGMT = trimmed
            case "wp.post_name": item?.postName = trimmed
            case "wp.status": item?.status = trimmed
            case "wp.post_type": item?.postType = trimmed
            case "wp.post_parent": item?.parent = Int(trimmed)
            case "wp.post_password": item?.password = trimmed
            case "wp.is_sticky": item?.sticky = trimmed == "1"
            case "wp.attachment_url": item?.attachmentURL = trimmed
            case "wp.meta_key": metaKey = trimmed
            case "wp.meta_value": metaValue = value
            case "wp.postmeta":
                item?.meta[metaKey, default: []].append(metaValue)
                (metaKey, metaValue) = ("", "")
            case "category":
                if let term { item?.terms.append((term.domain, term.nicename, trimmed)) }
                term = nil
            case "item":
                if let done = item, !send(.item(done)) { parser.abortParsing() }
                item = nil
            default: break
            }
        }

        private func endInChannel(_ key: String, _ trimmed: String) {
            switch key {
            case "title" where stack.last == "channel": site.title = trimmed
            case "link" where stack.last == "channel": site.link = trimmed
            case "wp.wxr_version": site.version = trimmed
            case "wp.base_site_url": site.baseSiteURL = trimmed
            case "wp.base_blog_url": site.baseBlogURL = trimmed
            case "wp.author_login": author.login = trimmed
            case "wp.author_display_name": author.name = trimmed
            case "wp.author":
                if !author.login.isEmpty { site.authors[author.login] = author.name.isEmpty ? author.login : author.name }
                author = ("", "")
            case "wp.category_nicename": category.nicename = trimmed
            case "wp.cat_name": category.name = trimmed
            case "wp.category_parent": category.parent = trimmed
            case "wp.category":
                if !category.nicename.isEmpty { site.categories[category.nicename] = (category.name, category.parent) }
                category = ("", "", "")
            case "wp.tag_slug": tag.slug = trimmed
            case "wp.tag_name": tag.name = trimmed
            case "wp.tag":
                if !tag.slug.isEmpty { site.tags[tag.slug] = tag.name }
                tag = ("", "")
            default: break
            }
        }
    }
}

/// A flag set once, read from any thread.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
