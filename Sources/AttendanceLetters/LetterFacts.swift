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
    /// (agreed|partly|refused), `holiday_agreed_from`, `holiday_agreed_to` (partly), `holiday_reason`. Dates as YYYY-MM-DD.
    public let details: [String: String]
    /// What the school has done so far this year, as recorded: what a letter may say about the past.
    public var history: LetterHistory = LetterHistory()
    /// For a penalty notice warning: the term's figures and the criteria met (the criteria are per term).
    public var penalty: PenaltyTerm? = nil
    /// For a most-improved certificate: the earlier period and the pupil's figures in it.
    public var earlier: (period: DateRange, summary: AttendanceSummary)? = nil

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
            !LetterDetails.holidayDecisions.contains(details["holiday_decision"] ?? "")
        {
            missing.append("holiday_decision")
        }
        if kind == .holidayDecision, details["holiday_decision"] == "partly" {
            missing += ["holiday_agreed_from", "holiday_agreed_to"].filter { (details[$0] ?? "").isEmpty }
        }
        return missing
    }
}
