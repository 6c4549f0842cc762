import CaravanCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: just what the bank parsers need (name, attributes, text, children, line).
struct PayloadElement: Sendable {
    var name: String
    var attributes: [String: String]
    var children: [PayloadElement] = []
    var text: String = ""
    var line: Int

    /// Parses `text` (already decoded and declared UTF-8) into its root element.
    static func parse(_ text: String, source: RateSource) throws(RatePayloadError) -> PayloadElement {
        let parser = XMLParser(data: Data(text.utf8))
        parser.shouldResolveExternalEntities = false
        let builder = TreeBuilder()
        parser.delegate = builder
        let ok = parser.parse()
        guard ok, builder.failure == nil, let root = builder.root else {
            let detail = (builder.failure ?? parser.parserError).map(describe)
                ?? "the document ends before its root element closes"
            throw RatePayloadError(.malformed(detail: detail, column: parser.columnNumber), source: source,
                                   line: parser.lineNumber)
        }
        return root
    }

    func children(named name: String) -> [PayloadElement] { children.filter { $0.name == name } }

    func child(named name: String) -> PayloadElement? { children.first { $0.name == name } }

    /// The trimmed text of the first child called `name`, or nil when it is absent or empty.
    func text(of name: String) -> String? {
        guard let value = child(named: name)?.text.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty
        else { return nil }
        return value
    }

    /// The trimmed value of attribute `name`, or nil when it is absent or empty.
    func attribute(_ name: String) -> String? {
        guard let value = attributes[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty
        else { return nil }
        return value
    }

    /// The parser's error in words: Foundation only says "NSXMLParserErrorDomain error 73".
    private static func describe(_ error: any Error) -> String {
        let code = (error as NSError).code
        switch code {
        case 4: return "the document is empty"
        case 5: return "the document ends too early, or goes on after its root element"
        case 9: return "an invalid character"
        case 23, 25: return "an entity reference without its closing ';'"
        case 26: return "an undeclared entity"
        case 38...44: return "a broken attribute"
        case 64: return "a misplaced XML declaration"
        case 68: return "a name is missing"
        case 72...74, 77: return "an unfinished tag"
        case 76: return "a closing tag that does not match its opening tag"
        default: return "XML parser error \(code)"
        }
    }
}

/// Collects `XMLParser` events into a tree of `PayloadElement`s.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [PayloadElement] = []
    var root: PayloadElement?
    var failure: (any Error)?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        stack.append(PayloadElement(name: elementName, attributes: attributeDict, line: parser.lineNumber))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard let element = stack.popLast() else { return }
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if failure == nil { failure = parseError }
    }
}
