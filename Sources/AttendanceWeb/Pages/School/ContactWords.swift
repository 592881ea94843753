import AttendanceCore

/// A contact's relationship to the pupil in the reader's language. The school's records hold it as the MIS wrote
/// it ("Mother"); a relationship the catalogue knows is said in its words, any other is shown as recorded.
enum ContactWords {
    static func relationship(_ recorded: String, text: (String, [String: String]) -> String) -> String {
        let name = recorded.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" }).joined(separator: "_")
        return Catalogue.known("relationship.\(name)", text) ?? recorded
    }
}

extension ContactWords {
    /// The language a contact reads letters in, in words ("Welsh", "Welsh and English").
    static func language(_ preference: LanguagePreference, text: (String, [String: String]) -> String) -> String {
        text("language.\(preference.rawValue)", [:])
    }

    /// A contact on one line: name (relationship) numbers and email, the language they read, and whether they live
    /// elsewhere when the record says so.
    static func line(_ contact: Contact, text: (String, [String: String]) -> String) -> String {
        let reach = [contact.mobile, contact.phone, contact.email].compactMap { $0 }.joined(separator: ", ")
        return "\(contact.name) (\(relationship(contact.relationship, text: text))) \(reach) – "
            + language(contact.language, text: text)
            + (contact.livesWithPupil == false ? "; " + text("contact.livesElsewhere", [:]) : "")
    }
}
