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
        let copies = try recipient.languages.map { language -> [String: Any] in
            let template = try Self.compile(
                source(kind, language, overrides: overrides), name: "\(language.rawValue)/\(kind.rawValue)")
            var values = facts.values(language, recipient: recipient)
            values.merge(facts.history.values(language) { label("call_outcome.\($0)", language) }) { a, _ in a }
            values["body"] = template.render(values)
            values["lang"] = language.rawValue
            values["names"] = recipient.names
            values["addressLines"] = (recipient.address ?? "").split { $0 == "\n" || $0 == "," }.map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            values["subject"] = label("subject.\(kind.rawValue)", language)
            values["figuresTitle"] = label(
                "figuresTitle", language,
                ["from": facts.period.start.letterText(language), "to": facts.period.end.letterText(language)])
            for (name, key) in Self.frameLabels { values[name] = label(key, language) }
            return values
        }
        let first = recipient.languages.first ?? .cy
        return frame.render([
            "lang": first.rawValue, "title": label("subject.\(kind.rawValue)", first), "css": css, "copies": copies,
        ])
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
