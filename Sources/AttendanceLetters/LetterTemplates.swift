import AttendanceCore
import Foundation
import Mustache

/// Why a letter template cannot be used. The message names the template and what is wrong with it.
public struct LetterTemplateProblem: Error, CustomStringConvertible, Equatable {
    public enum Reason: Equatable, Sendable {
        case unknownPlaceholders([String])
        case syntax(String)
        /// Markup or triple braces a wording may not carry (quoted as written).
        case markup(String)
    }

    public let template: String
    public let reason: Reason

    public var description: String {
        switch reason {
        case .unknownPlaceholders(let names):
            return "\(template): unknown placeholder\(names.count == 1 ? "" : "s") "
                + names.map { "{{\($0)}}" }.joined(separator: ", ")
        case .syntax(let detail): return "\(template): \(detail)"
        case .markup(let text):
            return "\(template): \(text) is not allowed: a wording holds words, placeholders in double braces, "
                + "and plain paragraphs, emphasis and tables only"
        }
    }
}

/// The wording of every letter, in both languages: as shipped, overridden by the authority's own directory of
/// templates (`letters/{cy,en}/KIND.mustache`), and by wording saved in the browser, in that order.
public struct LetterTemplates: Sendable {
    /// Keyed "cy/letter_1".
    let shipped: [String: String]
    let directory: [String: String]
    let frame: MustacheTemplate
    let css: String
    let labels: [Language: [String: String]]

    static var resources: URL {
        Bundle.module.url(forResource: "Resources", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Resources")
    }

    /// Loads the shipped templates and, if given, the authority's directory. A template there that names an
    /// unknown placeholder stops the program at start, naming the file: it would never be sent.
    public init(directory folder: String? = nil) throws {
        let letters = Self.resources.appendingPathComponent("letters")
        shipped = try Self.load(from: letters)
        directory = try folder.map { try Self.load(from: URL(fileURLWithPath: $0)) } ?? [:]
        for (key, source) in self.directory { _ = try Self.compile(source, name: key) }
        frame = try MustacheTemplate(
            string: String(contentsOf: letters.appendingPathComponent("letter.mustache"), encoding: .utf8))
        css = try String(contentsOf: letters.appendingPathComponent("letter.css"), encoding: .utf8)
        var labels: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let data = try Data(contentsOf: letters.appendingPathComponent("\(language.rawValue)/labels.json"))
            labels[language] = try JSONDecoder().decode([String: String].self, from: data)
        }
        self.labels = labels
    }

    private static func load(from folder: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        for language in Language.allCases {
            for kind in LetterKind.allCases {
                let file = folder.appendingPathComponent("\(language.rawValue)/\(kind.rawValue).mustache")
                if let text = try? String(contentsOf: file, encoding: .utf8) {
                    result["\(language.rawValue)/\(kind.rawValue)"] = text
                }
            }
        }
        return result
    }

    /// The wording in force: the browser's, else the directory's, else the shipped one.
    public func source(_ kind: LetterKind, _ language: Language, overrides: [String: String] = [:]) -> String {
        let key = "\(language.rawValue)/\(kind.rawValue)"
        return overrides[key] ?? directory[key] ?? shipped[key] ?? ""
    }

    /// The shipped wording, to compare with or go back to.
    public func shippedSource(_ kind: LetterKind, _ language: Language) -> String {
        shipped["\(language.rawValue)/\(kind.rawValue)"] ?? ""
    }

    /// Compiles a template, refusing one that names anything but the documented placeholders.
    public static func compile(_ source: String, name: String) throws -> MustacheTemplate {
        if let markup = forbiddenMarkup(in: source) {
            throw LetterTemplateProblem(template: name, reason: .markup(markup))
        }
        let unknown = LetterPlaceholder.unknownNames(in: source)
        guard unknown.isEmpty else {
            throw LetterTemplateProblem(template: name, reason: .unknownPlaceholders(unknown))
        }
        do {
            return try MustacheTemplate(string: source)
        } catch {
            throw LetterTemplateProblem(template: name, reason: .syntax("the template's {{…}} tags do not match up"))
        }
    }

    func label(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        var text = labels[language]?[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{{\(name)}}", with: value) }
        return text
    }
}
