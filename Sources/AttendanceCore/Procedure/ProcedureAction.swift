/// What the procedure can call for.
public enum ProcedureAction: String, Sendable, Hashable, Codable, CaseIterable {
    case letter1 = "letter_1"
    case letter2 = "letter_2"
    case phoneCall = "phone_call"
    case letter3 = "letter_3"
    case attendanceMeeting = "attendance_meeting"
    case eswReferral = "esw_referral"
    case legalActionReview = "legal_action_review"
    case nToO = "n_to_o"
    case firstDayContact = "first_day_contact"
    case noContactDay3 = "no_contact_day_3"
    case fpnEligible = "fpn_eligible"
    case persistentAbsence = "persistent_absence"
    case continuousAbsenceReport = "continuous_absence_report"
    case preHolidayPattern = "pre_holiday_pattern"
    case medicalEvidenceRequired = "medical_evidence_required"
}

/// An action the procedure finds due, with why: what was counted and the sessions that made it.
public struct DueAction: Sendable, Hashable {
    public let action: ProcedureAction
    /// What was counted or which criterion applies: "absence", "unauthorised", "late_after_close", …
    public let basis: String
    public let count: Int
    /// The sessions that triggered it, in order.
    public let sessions: [Session]
    /// The same action for the same reason has the same key, so a second run the same day adds nothing.
    public let key: String

    public init(action: ProcedureAction, basis: String, count: Int, sessions: [Session], key: String) {
        self.action = action
        self.basis = basis
        self.count = count
        self.sessions = sessions
        self.key = key
    }
}

/// An action already recorded for a pupil.
public struct RecordedAction: Sendable, Hashable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, done, dismissed, withdrawn
        /// Still pending when its school year ended: closed by the year-end rule, not by a correction.
        case yearEnded = "year_ended"
    }
    public let key: String
    public let action: ProcedureAction
    public let status: Status

    public init(key: String, action: ProcedureAction, status: Status) {
        self.key = key
        self.action = action
        self.status = status
    }
}

/// The term's figures behind a penalty notice flag: what a warning letter quotes.
public struct PenaltyTerm: Sendable, Hashable {
    /// The term so far.
    public let range: DateRange
    /// Sessions counting towards each criterion: "unauthorised", "late_after_close", "unagreed_holiday".
    public let counts: [String: Int]
    /// The criteria met, in the policy's order.
    public let met: [String]
}
