import Mustache

/// A page's values as Mustache sees them, each struct reflected once when the page is handed over.
///
/// swift-mustache finds a tag's value by building a `Mirror` of every object on its context stack, tag after tag;
/// on the search page that was half of the request's time. Reflecting once gives the same values by name.
struct TemplateView: MustacheParent, MustacheCustomRenderable {
    /// The value this view stands for, so that `{{value}}` prints what it printed before.
    private let subject: Any
    private let fields: [String: Any]

    private init(subject: Any, mirror: Mirror) {
        self.subject = subject
        var fields: [String: Any] = [:]
        for child in mirror.children {
            // As swift-mustache reads a Mirror: an empty optional is as good as no field, so outer contexts answer.
            guard let label = child.label, let value = Self.unwrapped(child.value) else { continue }
            fields[label] = Self.view(of: value)
        }
        self.fields = fields
    }

    /// The value to hand Mustache: structs as views, arrays element by element, anything else as it is.
    static func view(of value: Any) -> Any {
        switch value {
        // Arrays of plain values stay typed, so that transforms such as `sorted` still see comparable elements.
        case is String, is Bool, is Int, is Int64, is Double, is [String], is [Int], is MustacheCustomRepresentation:
            return value
        // Before the protocols: arrays are transformable too, and their elements are what gets looked up.
        case let array as [Any]:
            return array.map(view(of:))
        case is MustacheParent, is MustacheCustomRenderable, is MustacheLambda, is MustacheTransformable:
            return value
        default:
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .struct else { return value }
            return TemplateView(subject: value, mirror: mirror)
        }
    }

    func child(named name: String) -> Any? { fields[name] }

    var renderText: String { String(describing: subject) }
    var isNull: Bool { false }

    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.flatMap { unwrapped($0.value) }
    }
}
