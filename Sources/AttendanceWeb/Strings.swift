import AttendanceCore
import Foundation

/// The string catalogue: every word a person reads, in Welsh and English, loaded from
/// `Resources/strings/{cy,en}.json`. A key missing in either language fails a test.
public struct Strings: Sendable {
    let tables: [Language: [String: String]]

    public init(directory: URL) throws {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let data = try Data(contentsOf: directory.appendingPathComponent("\(language.rawValue).json"))
            tables[language] = try JSONDecoder().decode([String: String].self, from: data)
        }
        self.tables = tables
    }

    /// The text for a key, with `{name}` placeholders filled. A missing key shows itself rather than
    /// an empty gap, and the catalogue test stops it reaching users.
    public func callAsFunction(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        var text = tables[language]?[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    public func keys(_ language: Language) -> Set<String> { Set(tables[language]?.keys ?? [:].keys) }
}
