import AttendanceCore
import Foundation
import Mustache

/// The string catalogue: every word a person reads, in Welsh and English, loaded from
/// `Resources/strings/{cy,en}.json`. A key missing in either language fails a test.
public struct Strings: Sendable {
    let tables: [Language: [String: String]]
    /// Every key's leading parts ("account" of "account.title"): what `TemplateCatalogue` may be asked for on the way to a key.
    let prefixes: Set<String>

    public init(directory: URL) throws {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let data = try Data(contentsOf: directory.appendingPathComponent("\(language.rawValue).json"))
            tables[language] = try JSONDecoder().decode([String: String].self, from: data)
        }
        self.tables = tables
        var prefixes: Set<String> = []
        for key in tables.values.flatMap(\.keys) {
            var parts = key.split(separator: ".").dropLast()
            while !parts.isEmpty {
                prefixes.insert(parts.joined(separator: "."))
                parts = parts.dropLast()
            }
        }
        self.prefixes = prefixes
    }

    /// The text for a key, with `{name}` placeholders filled. A missing key shows itself rather than
    /// an empty gap, and the catalogue test stops it reaching users.
    public func callAsFunction(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        var text = tables[language]?[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        // A day after "ar", "o", "i"… takes its soft mutation once the sentence is whole.
        return language == .cy && !values.isEmpty ? WelshGrammar.softenDays(text) : text
    }

    func has(_ key: String, _ language: Language) -> Bool { tables[language]?[key] != nil }

    public func keys(_ language: Language) -> Set<String> { Set(tables[language]?.keys ?? [:].keys) }
}

/// The catalogue as a template reads it: `{{catalogue.account.title}}` is the string `account.title` in the
/// reader's language. A page model holds the page's data; its template names its own labels
/// (`StringsTests.everyKeyATemplateNamesExists` checks each is in both catalogues). A label with values to fill
/// stays in the model.
struct TemplateCatalogue: MustacheParent {
    let strings: Strings
    let language: Language
    var prefix = ""

    func child(named name: String) -> Any? {
        let key = prefix.isEmpty ? name : prefix + "." + name
        if strings.has(key, language) { return strings(key, language) }
        return strings.prefixes.contains(key)
            ? TemplateCatalogue(strings: strings, language: language, prefix: key) : nil
    }
}
