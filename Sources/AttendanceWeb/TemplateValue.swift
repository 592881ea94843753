import Foundation
import Mustache

/// A page model's values as its template reads them: each struct's fields read by reflection once, into a
/// dictionary. swift-mustache reflects a value afresh for every name a template looks up, and walks all its fields
/// to find one (each field's type demangled again); a list of hundreds of rows spent most of its page's time
/// there (issue 39: the head of year's home, 600 rows, took 300 ms, 86% of it reflection).
struct TemplateValue: MustacheParent {
    private let fields: [String: Any]

    func child(named name: String) -> Any? { fields[name] }

    /// The value ready for a template: a struct or class of ours as a `TemplateValue`, an array element by
    /// element, an optional as its content or nil (so that the lookup goes on up the context, as swift-mustache
    /// does with an empty optional); anything that describes itself (text, numbers, Booleans, an id), enums, a
    /// type with a mirror of its own and a `MustacheParent` as they are.
    static func reading(_ value: Any) -> Any? {
        // Most values are text, numbers and Booleans: a cast to a type is cheaper than asking for a protocol.
        if value is String || value is Int || value is Bool || value is Double { return value }
        if value is any MustacheParent || value is any MustacheCustomRenderable { return value }
        // An array describes itself too: it is read element by element before anything that describes itself (text,
        // numbers, an id) is taken as it is.
        if let array = value as? [Any] { return array.map { reading($0) as Any } }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional { return mirror.children.first.flatMap { reading($0.value) } }
        guard mirror.displayStyle == .struct || mirror.displayStyle == .class,
            !(value is any CustomStringConvertible), !(value is any CustomReflectable)
        else { return value }
        var fields: [String: Any] = [:]
        for child in mirror.children {
            if let label = child.label, let read = reading(child.value) { fields[label] = read }
        }
        return TemplateValue(fields: fields)
    }
}
