import Foundation

/// A wording carries words and placeholders, and a little plain markup for paragraphs, emphasis and a table of
/// details. Anything that could fetch, embed or run something (a link, an image, a style, a script, an
/// attribute with a URL) is refused, and so are triple braces, which would put a person's text in unescaped:
/// only the letter's frame, which no one edits, carries markup of its own.
extension LetterTemplates {
    static let allowedTags: Set<String> = [
        "p", "strong", "em", "b", "i", "br", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "div",
        "span", "h2", "h3",
    ]
    static let allowedAttributes: Set<String> = ["class", "scope"]

    /// The first piece of a wording that is not allowed, as written, or nil when there is none.
    public static func forbiddenMarkup(in source: String) -> String? {
        if let range = source.range(of: "{{{") ?? source.range(of: #"\{\{\s*&"#, options: .regularExpression) {
            let end = source[range.lowerBound...].range(of: "}}")?.upperBound ?? range.upperBound
            return String(
                source[
                    range
                        .lowerBound..<min(
                            end,
                            source.index(range.lowerBound, offsetBy: 40, limitedBy: source.endIndex) ?? source.endIndex)
                ])
        }
        var rest = Substring(source)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { return String(rest[open...].prefix(40)) }
            let tag = rest[open...close]
            if !isAllowed(tag) { return String(tag.prefix(80)) }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }

    /// `<name attr="word">`, `</name>` or `<br>`: an allowed name, allowed attributes, plain values.
    static func isAllowed(_ tag: Substring) -> Bool {
        var inner = tag.dropFirst().dropLast()
        if inner.hasPrefix("/") { inner = inner.dropFirst() }
        if inner.hasSuffix("/") { inner = inner.dropLast() }
        let name = inner.prefix { $0.isLetter || $0.isNumber }
        guard !name.isEmpty, allowedTags.contains(name.lowercased()) else { return false }
        var attributes = inner.dropFirst(name.count)
        while true {
            attributes = attributes.drop { $0 == " " }
            if attributes.isEmpty { return true }
            let attribute = attributes.prefix { $0.isLetter }
            guard allowedAttributes.contains(attribute.lowercased()) else { return false }
            attributes = attributes.dropFirst(attribute.count)
            guard attributes.hasPrefix("=\"") else { return false }
            attributes = attributes.dropFirst(2)
            let value = attributes.prefix { $0 != "\"" }
            guard value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == " " }),
                attributes.dropFirst(value.count).hasPrefix("\"")
            else { return false }
            attributes = attributes.dropFirst(value.count + 1)
        }
    }
}
