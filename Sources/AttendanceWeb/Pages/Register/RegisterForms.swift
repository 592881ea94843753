import AttendanceCore
import AttendanceStore
import Foundation

/// A register as the page sends it back: for each pupil the choice made, the minutes late, another code and the
/// expected-arrival answer (fields named for the pupil: "mark-UPN", "late-UPN", "other-UPN", "seen-UPN"), a
/// reason for changing what was there, and whether "All present" was pressed without the page's script. The
/// page's script adds the device's key for the save and when it was made ("save-key", "made-at"; see
/// `DeviceSave`), so that a save held on the device while it had no connection is written once when sent.
struct RegisterForm: Form {
    let fields: FormFields
    let reason: String
    let fillPresent: Bool
    let saveKey: String?
    let madeAt: String?

    init(_ fields: FormFields) throws {
        self.fields = fields
        reason = (fields.sent("reason") ?? "").trimmingCharacters(in: .whitespaces)
        fillPresent = fields.sent("fill") == "present"
        saveKey = fields.sent("save-key")
        madeAt = fields.sent("made-at")
    }

    /// What was chosen for a pupil on the register, as typed (the register's rules judge it).
    func choice(for upn: UPN) -> RegisterController.Choice {
        let upn = upn.value
        return RegisterController.Choice(
            kind: fields.sent("mark-\(upn)"), minutes: fields.sent("late-\(upn)"), other: fields.sent("other-\(upn)"),
            seen: fields.sent("seen-\(upn)"))
    }
}

/// The office's contact log entry: who was tried, how, with what outcome, and a code the parent's reason
/// suggests. The pupil, method, contact and outcome are needed (400 without them: the page always sends them).
struct ContactForm: Form {
    let upn: UPN
    let method: ContactAttempt.Method
    let outcome: ContactAttempt.Outcome
    let contact: String
    let date: LocalDate?
    let code: String?
    let notes: String?

    init(_ fields: FormFields) throws {
        func needed<T>(_ name: String, _ read: (String) -> T?) throws -> T {
            guard let value = read(fields.raw(name)) else { throw WebError.missingField(name) }
            return value
        }
        upn = try needed("upn") { try? UPN($0) }
        method = try needed("method", ContactAttempt.Method.init(rawValue:))
        outcome = try needed("outcome", ContactAttempt.Outcome.init(rawValue:))
        guard fields.has("contact") else { throw WebError.missingField("contact") }
        contact = try Fields.contactName.check(fields.sent("contact") ?? "")
        date = try fields.optionalDate("date")
        code = fields.has("code") ? fields.raw("code") : nil
        notes = try fields.sent("notes").map { try Fields.contactNotes.check($0) }
    }
}

/// A late arrival as the late book's form gives it, kept as typed so the page can show it again when refused:
/// the pupil (the list's text ending with the UPN, or a UPN), the time of arrival and the day (nil when it cannot
/// be read: the page says so).
struct LateArrivalForm: Form {
    let pupil: String
    let arrival: String
    let date: LocalDate?

    init(_ fields: FormFields) throws {
        pupil = (fields.sent("pupil") ?? fields.sent("upn") ?? "").trimmingCharacters(in: .whitespaces)
        arrival = fields.raw("arrival")
        date = try? fields.optionalDate("date")
    }
}

/// The paediatric referral's forms on the pupil page.
enum MedicalForms {
    struct Refer: Form {
        let reason: String
        init(_ fields: FormFields) throws { reason = try fields.words("reason", limit: 2000, required: true) }
    }

    struct Outcome: Form {
        let outcome: PaediatricOutcome
        let on: LocalDate
        let note: String

        init(_ fields: FormFields) throws {
            outcome = try fields.choice("outcome")
            on = try fields.date("on")
            note = try fields.words("note", limit: 2000)
        }
    }

    struct Plan: Form {
        let startsOn: LocalDate
        let reviewOn: LocalDate
        let arrangements: String
        let agreedWith: String

        init(_ fields: FormFields) throws {
            startsOn = try fields.date("starts_on")
            reviewOn = try fields.date("review_on")
            arrangements = try fields.words("arrangements", limit: 2000)
            agreedWith = try fields.words("agreed_with", limit: 500)
        }
    }
}
