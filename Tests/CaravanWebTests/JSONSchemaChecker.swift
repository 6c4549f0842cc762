import Foundation

/// Any JSON value, decoded strictly so that `true` never passes for a number or `1` for a boolean.
enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var int: Int? { if case .number(let value) = self, value.rounded() == value { Int(value) } else { nil } }
    var array: [JSONValue]? { if case .array(let items) = self { items } else { nil } }
    var object: [String: JSONValue]? { if case .object(let members) = self { members } else { nil } }
    var isNull: Bool { self == .null }
}

/// Checks a value against the JSON Schema subset the OpenAPI document uses; any other keyword is reported, never ignored.
struct JSONSchemaChecker {
    /// The document `$ref`s point into.
    let document: JSONValue

    /// Keywords that only describe, and so need no check.
    static let annotations: Set<String> = ["description", "title", "examples", "default"]
    static let assertions: Set<String> = [
        "$ref", "type", "enum", "required", "properties", "additionalProperties", "items", "minimum", "maximum", "format",
    ]

    /// Every way `value` breaks `schema`, each with the JSON path where it happens; empty when it conforms.
    func problems(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        guard let keywords = schema.object else { return ["\(path): the schema is not an object"] }
        var found: [String] = []
        for keyword in keywords.keys where !Self.annotations.contains(keyword) && !Self.assertions.contains(keyword) {
            found.append("\(path): the checker does not understand the schema keyword “\(keyword)”")
        }
        if let reference = keywords["$ref"]?.string {
            guard let target = resolve(reference) else { return found + ["\(path): cannot resolve \(reference)"] }
            found += problems(value, against: target, at: path)
        }
        if let type = keywords["type"] {
            let allowed = type.array?.compactMap(\.string) ?? type.string.map { [$0] } ?? []
            guard allowed.contains(where: { Self.value(value, is: $0) }) else {
                return found + ["\(path): \(Self.describe(value)) is not of type \(allowed.joined(separator: " or "))"]
            }
        }
        if let options = keywords["enum"]?.array, !options.contains(value) {
            found.append("\(path): \(Self.describe(value)) is not one of the allowed values")
        }
        if case .number(let number) = value {
            if case .number(let minimum)? = keywords["minimum"], number < minimum {
                found.append("\(path): \(number) is below the minimum \(minimum)")
            }
            if case .number(let maximum)? = keywords["maximum"], number > maximum {
                found.append("\(path): \(number) is above the maximum \(maximum)")
            }
        }
        if case .string(let text) = value, let format = keywords["format"]?.string, !Self.string(text, hasFormat: format) {
            found.append("\(path): “\(text)” is not a \(format)")
        }
        if case .object(let members) = value {
            let properties = keywords["properties"]?.object ?? [:]
            for name in keywords["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
                found.append("\(path): the required property “\(name)” is missing")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] {
                    found += problems(member, against: property, at: "\(path).\(name)")
                } else if let extra = keywords["additionalProperties"] {
                    if extra == .bool(false) {
                        found.append("\(path): the property “\(name)” is not in the schema")
                    } else if extra.object != nil {
                        found += problems(member, against: extra, at: "\(path).\(name)")
                    }
                }
            }
        }
        if case .array(let items) = value, let itemSchema = keywords["items"] {
            for (index, item) in items.enumerated() {
                found += problems(item, against: itemSchema, at: "\(path)[\(index)]")
            }
        }
        return found
    }

    /// Follows a local JSON pointer such as `#/components/schemas/Article`.
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }

    static func value(_ value: JSONValue, is type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array),
            ("object", .object):
            true
        case ("integer", .number(let number)):
            number.rounded() == number
        default:
            false
        }
    }

    /// The two formats the API writes: RFC 3339 instants in UTC, and calendar days.
    static func string(_ text: String, hasFormat format: String) -> Bool {
        switch format {
        case "date-time":
            text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/) != nil
        case "date":
            text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil
        default:
            false
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "the boolean \(flag)"
        case .number(let number): "the number \(number)"
        case .string(let text): "the string “\(text.prefix(40))”"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
