import AttendanceCore

/// A placeholder a letter's wording may use, as the template pages list it.
struct PlaceholderLine: Sendable {
    let tag: String
    let text: String

    static func all(in language: Language) -> [PlaceholderLine] {
        LetterPlaceholder.all.map {
            PlaceholderLine(
                tag: $0.isSection ? "{{#\($0.name)}}…{{/\($0.name)}}" : "{{\($0.name)}}",
                text: $0.description(in: language))
        }
    }
}

/// The letter templates page: every letter in each language, whether the wording is the shipped one.
struct LetterTemplatesPage: PageModel {
    static let template = "letter-templates"

    struct Row: Sendable {
        struct Version: Sendable {
            let href: String
            let label: String
            let state: String
        }
        let letter: String
        let languages: [Version]
    }

    let title: String
    let rows: [Row]
    let placeholdersTitle: String
    let placeholders: [PlaceholderLine]

    /// - Parameter changed: whether the wording of a letter in a language is not the shipped one.
    static func make(
        changed: (LetterKind, Language) -> Bool, language: Language, text: (String) -> String
    ) -> LetterTemplatesPage {
        LetterTemplatesPage(
            title: text("templates.title"),
            rows: LetterKind.allCases.map { kind in
                Row(
                    letter: text("letters.kind.\(kind.rawValue)"),
                    languages: Language.allCases.map { version in
                        Row.Version(
                            href: SiteURL.letterTemplate(kind, version),
                            label: text("templates.edit") + ": " + text("language.\(version.rawValue)"),
                            state: text(changed(kind, version) ? "templates.changed" : "templates.shipped"))
                    })
            }, placeholdersTitle: text("templates.placeholders"),
            placeholders: PlaceholderLine.all(in: language))
    }
}

/// Editing one letter's wording in one language, with a live preview.
struct LetterTemplatePage: PageModel {
    static let template = "letter-template"

    let title: String
    let saveAction: String
    let previewAction: String
    let resetAction: String
    let source: String
    /// The wording's language (for the browser's spelling check), not the reader's.
    let bodyLang: String
    let bodyLabel: String
    let listHref: String
    let placeholdersTitle: String
    let placeholders: [PlaceholderLine]
    let notice: String?
    let error: String?

    static func make(
        kind: LetterKind, version: Language, source: String, notice: String?, error: String?, language: Language,
        text: (String, [String: String]) -> String
    ) -> LetterTemplatePage {
        LetterTemplatePage(
            title: text(
                "templates.editTitle",
                [
                    "letter": text("letters.kind.\(kind.rawValue)", [:]),
                    "language": text("language.\(version.rawValue)", [:]),
                ]),
            saveAction: SiteURL.letterTemplate(kind, version),
            previewAction: SiteURL.letterTemplate(kind, version, .templatePreview),
            resetAction: SiteURL.letterTemplate(kind, version, .templateReset), source: source,
            bodyLang: version.rawValue, bodyLabel: text("templates.body", [:]),
            listHref: SiteURL.templates.path(),
            placeholdersTitle: text("templates.placeholders", [:]),
            placeholders: PlaceholderLine.all(in: language), notice: notice, error: error)
    }
}
