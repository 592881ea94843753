import AttendanceCore
import Foundation

/// What a letter says about a pupil: who, where, their figures from the one summary implementation, and the
/// details a person gave (a meeting's date, a holiday decision).
public struct LetterFacts: Sendable {
    public let pupil: Pupil
    public let school: School
    public let summary: AttendanceSummary
    /// The days the figures count: the school year so far.
    public let period: DateRange
    public let date: LocalDate
    public let signatory: String
    /// `meeting_date`, `meeting_time`, `meeting_place`, `holiday_from`, `holiday_to`, `holiday_decision`
    /// (agreed|refused), `holiday_reason`. Dates as YYYY-MM-DD.
    public let details: [String: String]
    /// What the school has done so far this year, as recorded: what a letter may say about the past.
    public var history: LetterHistory = LetterHistory()
    /// For a penalty notice warning: the term's figures and the criteria met (the criteria are per term).
    public var penalty: PenaltyTerm? = nil

    public init(
        pupil: Pupil, school: School, summary: AttendanceSummary, period: DateRange, date: LocalDate,
        signatory: String, details: [String: String] = [:], history: LetterHistory = LetterHistory()
    ) {
        self.history = history
        self.pupil = pupil
        self.school = school
        self.summary = summary
        self.period = period
        self.date = date
        self.signatory = signatory
        self.details = details
    }

    /// The Education Social Work service's helpline (the policy, "Role of the ESW service").
    public static let eswHelpline = "01978 295571"

    /// Names a kind needs that the details do not give, so a person is asked before anything is produced.
    public func missingDetails(for kind: LetterKind) -> [String] {
        var missing = kind.requiredDetails.filter {
            (details[$0] ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        }
        if kind == .holidayDecision, !missing.contains("holiday_decision"),
            !["agreed", "refused"].contains(details["holiday_decision"] ?? "")
        {
            missing.append("holiday_decision")
        }
        return missing
    }

    /// Every placeholder's value in one language. Dates are written out in that language.
    func values(_ language: Language, recipient: LetterRecipient) -> [String: Any] {
        func date(_ name: String) -> String {
            guard let text = details[name] else { return "" }
            return LocalDate(iso: text)?.letterText(language) ?? text
        }
        let forename = pupil.preferredForename ?? pupil.legalForename
        return [
            "pupil_name": "\(pupil.legalForename) \(pupil.legalSurname)",
            "pupil_forename": forename,
            "upn": pupil.upn.value, "date_of_birth": pupil.dateOfBirth.letterText(language),
            "year_group": pupil.yearGroup, "registration_group": pupil.registrationGroup,
            "school_name": school.name, "date": self.date.letterText(language),
            "academic_year": self.date.academicYear.description,
            "recipient_names": language == .cy
                ? WelshGrammar.and(recipient.names) : recipient.names.joined(separator: " and "),
            "and_attendance": language == .cy
                ? WelshGrammar.andAttendance(pupil.sex, forename: forename)
                : WelshGrammar.andAttendanceEnglish(pupil.sex, forename: forename),
            "period_from": period.start.letterText(language), "period_to": period.end.letterText(language),
            "possible": summary.possible, "attended": summary.attended, "absent": summary.absent,
            "authorised": summary.authorised, "unauthorised": summary.unauthorised,
            "percent": summary.attendancePercentText, "persistent_absence": summary.persistentAbsence,
            "meeting_date": date("meeting_date"), "meeting_time": details["meeting_time"] ?? "",
            "meeting_place": details["meeting_place"] ?? "", "holiday_from": date("holiday_from"),
            "holiday_to": date("holiday_to"), "holiday_agreed": details["holiday_decision"] == "agreed",
            "holiday_refused": details["holiday_decision"] == "refused",
            "holiday_reason": details["holiday_reason"] ?? "", "signatory": signatory,
            "esw_helpline": Self.eswHelpline,
            "term_from": penalty?.range.start.letterText(language) ?? "",
            "term_to": penalty?.range.end.letterText(language) ?? "",
            "penalty_unauthorised": penalty?.met.contains("unauthorised") ?? false,
            "term_unauthorised": penalty?.counts["unauthorised"] ?? 0,
            "penalty_late": penalty?.met.contains("late_after_close") ?? false,
            "term_late": penalty?.counts["late_after_close"] ?? 0,
            "penalty_holiday": penalty?.met.contains("unagreed_holiday") ?? false,
            "term_holiday": penalty?.counts["unagreed_holiday"] ?? 0,
        ]
    }
}
