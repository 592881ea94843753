import AttendanceCore
import Foundation

/// What a request sent that cannot be used, naming the field: the one check of each field, shared by the forms
/// and the API, and mapped to its status and sentence by `PageErrorMiddleware`.
enum InputError: Error, Equatable {
    /// Not a date in the form YYYY-MM-DD between 1990 and 2100 (`LocalDate(entered:)`).
    case badDate(field: String)
    /// Longer than the field allows (in characters).
    case tooLong(field: String, limit: Int)
    /// A NUL or another control character other than a line break or tab.
    case controlCharacters(field: String)
}

/// The text a person may type into a field: at most `limit` characters, no control characters but line breaks
/// and tabs. Every free-text field of a form or an API body goes through one of these.
struct TextField: Sendable {
    let name: String
    let limit: Int

    /// The text, trimmed of white space at its ends, or the error naming the field.
    func check(_ text: String) throws(InputError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= limit else { throw .tooLong(field: name, limit: limit) }
        let allowed: Set<Unicode.Scalar> = ["\n", "\r", "\t"]
        guard
            !trimmed.unicodeScalars.contains(where: {
                ($0.properties.generalCategory == .control) && !allowed.contains($0)
            })
        else { throw .controlCharacters(field: name) }
        return trimmed
    }

    /// A date field: nil when empty, else a date the record can hold, or the error naming the field.
    static func date(_ text: String?, field: String) throws(InputError) -> LocalDate? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let date = LocalDate(entered: text) else { throw .badDate(field: field) }
        return date
    }
}

/// The free-text fields that a form and the API share, each checked once, the same way, wherever it arrives.
enum Fields {
    static let leaveReason = TextField(name: "reason", limit: 1000)
    static let leaveDetails = TextField(name: "details", limit: 2000)
    static let leaveSiblings = TextField(name: "siblings", limit: 500)
    static let absenceNote = TextField(name: "note", limit: 1000)
    static let contactName = TextField(name: "contact", limit: 200)
    static let contactNotes = TextField(name: "notes", limit: 2000)
}
