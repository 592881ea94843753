import AttendanceCore
import Foundation
import Mustache

extension LetterTemplates {
    /// The frame's own words: template name → label key.
    static let frameLabels = [
        "private": "private", "dear": "dear", "yoursSincerely": "yoursSincerely", "for": "for",
        "possibleLabel": "possible", "attendedLabel": "attended", "absentLabel": "absent",
        "authorisedLabel": "authorised", "unauthorisedLabel": "unauthorised", "percentLabel": "percent",
        "pupilLabel": "pupil", "upnLabel": "upn", "yearLabel": "yearGroup",
    ]

    /// One recipient's letter as a complete HTML document: a copy per language they read, Welsh first.
    public func render(
        _ kind: LetterKind, to recipient: LetterRecipient, facts: LetterFacts, overrides: [String: String] = [:]
    ) throws -> String {
        let copies = try recipient.languages.map { language -> LetterCopy in
            let template = try Self.compile(
                source(kind, language, overrides: overrides), name: "\(language.rawValue)/\(kind.rawValue)")
            let values = facts.values(language, recipient: recipient) { label("call_outcome.\($0)", language) }
            return LetterCopy(
                lang: language.rawValue, names: recipient.names,
                addressLines: (recipient.address ?? "").split { $0 == "\n" || $0 == "," }.map {
                    $0.trimmingCharacters(in: .whitespaces)
                }.filter { !$0.isEmpty }, subject: label("subject.\(kind.rawValue)", language),
                figuresTitle: label(
                    "figuresTitle", language,
                    ["from": facts.period.start.letterText(language), "to": facts.period.end.letterText(language)]),
                body: template.render(values), labels: Self.frameLabels.mapValues { label($0, language) },
                values: values)
        }
        let first = recipient.languages.first ?? .cy
        return frame.render(
            LetterDocument(
                lang: first.rawValue, title: label("subject.\(kind.rawValue)", first), css: css, copies: copies))
    }

    /// The subject and text of the email a letter is attached to, in the recipient's languages.
    public func email(_ kind: LetterKind, to recipient: LetterRecipient, facts: LetterFacts) -> (
        subject: String, body: String
    ) {
        let name = facts.pupil.preferredForename ?? facts.pupil.legalForename
        let subject = recipient.languages.map { label("subject.\(kind.rawValue)", $0) }.joined(separator: " / ")
        let body = recipient.languages.map {
            label("email.body", $0, ["school": facts.school.name, "pupil": name])
        }.joined(separator: "\n\n")
        return (subject, body)
    }
}
