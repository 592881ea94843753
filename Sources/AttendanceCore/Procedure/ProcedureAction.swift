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
    /// "Those parents of pupils who are persistently late will be contacted by the Class Teacher/Head of Year/
    /// Senior Management Team": late (L or U) in the policy file's number of sessions in the term.
    case persistentLateness = "persistent_lateness"
}

extension ProcedureAction {
    /// The rules that call for the actions, in the order they run: each may read what those before it found. A
    /// new action is a case above, its period below and its rule here (one file in `Rules/`).
    static let rules: [any ProcedureRule] = [
        ThresholdRule(), PersistentAbsenceRule(), NoReasonRule(), FirstDayContactRule(), NoContactRule(),
        PenaltyNoticeRule(), LegalActionReviewRule(), ContinuousAbsenceRule(), PreHolidayRule(),
        MedicalEvidenceFlagRule(), PersistentLatenessRule(),
    ]
}

/// How long an action lasts: its key names the start of its period, and it may be withdrawn only while the
/// period lasts. Declared once per action (`ProcedureAction.period`), so a new rule is one line here.
public enum ActionPeriod: String, Sendable, CaseIterable {
    /// Once per pupil per school year (the letters, the call, the meeting, the referral, persistent absence,
    /// the pre-holiday pattern).
    case schoolYear = "school_year"
    /// Once per term (a penalty notice flag, the legal review: the criteria are per term; persistent lateness).
    case term
    /// One day's (first-day contact).
    case day
    /// Once per spell of absence (no contact by day three, continuous absence to report).
    case spell
    /// Once per absence (medical evidence after Letter 3, an N turned into O).
    case absence
}

extension ProcedureAction {
    public var period: ActionPeriod {
        switch self {
        case .letter1, .letter2, .phoneCall, .letter3, .attendanceMeeting, .eswReferral, .persistentAbsence,
            .preHolidayPattern:
            return .schoolYear
        case .fpnEligible, .legalActionReview, .persistentLateness: return .term
        case .firstDayContact: return .day
        case .noContactDay3, .continuousAbsenceReport: return .spell
        case .medicalEvidenceRequired, .nToO: return .absence
        }
    }

    /// The string catalogue's keys for the action: a short label and an explanation of why it is due and what to do.
    public var labelKey: String { "action.\(rawValue).label" }
    public var explanationKey: String { "action.\(rawValue).explanation" }

    /// The policy's numbers an action's words quote ("{days}", "{percent}"), so they never say what the policy
    /// in force does not.
    public func wordValues(_ policy: Policy) -> [String: String] {
        switch self {
        case .nToO: return ["days": String(policy.noReasonSchoolDays)]
        case .noContactDay3: return ["days": String(policy.noContactSchoolDays)]
        case .continuousAbsenceReport: return ["days": String(policy.continuousAbsenceSchoolDays)]
        case .persistentAbsence: return ["percent": String(policy.persistentAbsencePercent)]
        case .persistentLateness: return ["sessions": String(policy.casework.persistentLatenessSessions)]
        default: return [:]
        }
    }

    /// An action about particular sessions (not a count) is undone only by a correction of one of them.
    public var isAboutItsSessions: Bool { period != .schoolYear && period != .term || self == .preHolidayPattern }

    /// The action's key: the action and the start of its period ("letter_1/2025", "fpn_eligible/2026-01-05").
    public func key(_ start: some CustomStringConvertible) -> String { "\(rawValue)/\(start)" }

    /// Whether a pending action recorded under `key`, and no longer due, may be withdrawn on `asOf`: only while
    /// its period lasts. The end of a day or a term withdraws nothing.
    public func mayWithdraw(key: String, asOf: LocalDate, term: DateRange?) -> Bool {
        switch period {
        case .day: return key == self.key(asOf.iso)
        case .term:
            // A term's key, or (a penalty flag after a declined request) the term's key with the day counting began.
            return term.map { key == self.key($0.start.iso) || key.hasPrefix(self.key($0.start.iso) + "+") } ?? false
        case .schoolYear, .spell, .absence: return true
        }
    }
}

/// An action the procedure finds due, with why: what was counted and the sessions that made it. The engine keeps
/// what it found as integer-coded facts (slots of the school year, the day or year that starts the action's
/// period); the sessions' dates and the key's text are made only when read, which a run does for the actions it
/// records and a page for the ones it shows, not for the tens of thousands a run finds and compares.
public struct DueAction: Sendable, Hashable {
    public let action: ProcedureAction
    /// What was counted or which criterion applies: "absence", "unauthorised", "late_after_close", …
    public let basis: String
    public let count: Int
    private let found: Found
    /// The same action for the same reason has the same key, so a second run the same day adds nothing.
    public let dueKey: DueKey

    private enum Found: Sendable {
        case slots(AcademicYear, ArraySlice<Int>)
        case sessions([SchoolSession])
    }

    public init(action: ProcedureAction, basis: String, count: Int, sessions: [SchoolSession], key: String) {
        self.action = action
        self.basis = basis
        self.count = count
        found = .sessions(sessions)
        dueKey = DueKey(action: action, text: key)
    }

    /// As the engine finds it: the sessions as slots of `year`, in order.
    init(
        action: ProcedureAction, basis: String, count: Int, year: AcademicYear, slots: ArraySlice<Int>,
        start: DueKey.Start
    ) {
        self.action = action
        self.basis = basis
        self.count = count
        found = .slots(year, slots)
        dueKey = DueKey(action: action, start: start)
    }

    /// Another action for the same sessions and reasons (the legal review, on the penalty flag's findings).
    init(action: ProcedureAction, as other: DueAction, start: DueKey.Start) {
        self.action = action
        basis = other.basis
        count = other.count
        found = other.found
        dueKey = DueKey(action: action, start: start)
    }

    /// The sessions that triggered it, in order.
    public var sessions: [SchoolSession] {
        switch found {
        case .slots(let year, let slots): slots.map { SchoolSession(academicYear: year, slot: $0) }
        case .sessions(let sessions): sessions
        }
    }

    /// The key's text, as the record keeps it ("letter_1/2025", "fpn_eligible/2026-01-05").
    public var key: String { dueKey.text }

    public static func == (lhs: DueAction, rhs: DueAction) -> Bool {
        lhs.action == rhs.action && lhs.basis == rhs.basis && lhs.count == rhs.count && lhs.dueKey == rhs.dueKey
            && lhs.sessions == rhs.sessions
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(action)
        hasher.combine(basis)
        hasher.combine(count)
        hasher.combine(dueKey)
    }
}

/// An action's key as a value: the action and the start of its period. Read from a recorded key's text once, it
/// is compared with what the engine finds without making the engine's text; text this program did not write is
/// kept as it is and equals only the same text.
public struct DueKey: Sendable, Hashable {
    public enum Start: Sendable, Hashable {
        /// A school year, by the year it starts ("letter_1/2025").
        case year(Int)
        /// A day ("first_day_contact/2026-07-17", the first day of a spell).
        case day(LocalDate)
        /// A term's first day, and the day counting began after a declined request when that is later
        /// ("fpn_eligible/2026-01-05+2026-02-10").
        case term(LocalDate, countingFrom: LocalDate?)
        /// A session ("n_to_o/2026-03-02 AM").
        case session(SchoolSession)
        /// Text this program did not write.
        case other(String)
    }

    public let action: ProcedureAction
    public let start: Start

    init(action: ProcedureAction, start: Start) {
        self.action = action
        self.start = start
    }

    /// Reads a key's text. What does not read back as the same text is kept as `other`, so two keys are equal
    /// exactly when their texts are.
    public init(action: ProcedureAction, text: String) {
        self.action = action
        let prefix = action.rawValue + "/"
        guard text.hasPrefix(prefix) else {
            start = .other(text)
            return
        }
        let rest = text.dropFirst(prefix.count)
        var read: Start?
        switch action.period {
        case .schoolYear: read = Int(rest).map(Start.year)
        case .day, .spell: read = LocalDate(iso: rest).map(Start.day)
        case .absence: read = SchoolSession(text: rest).map(Start.session)
        case .term:
            let parts = rest.split(separator: "+", omittingEmptySubsequences: false)
            if parts.count == 1, let first = LocalDate(iso: parts[0]) {
                read = .term(first, countingFrom: nil)
            } else if parts.count == 2, let first = LocalDate(iso: parts[0]), let from = LocalDate(iso: parts[1]) {
                read = .term(first, countingFrom: from)
            }
        }
        if let read, Self(action: action, start: read).text == text {
            start = read
        } else {
            start = .other(text)
        }
    }

    public var text: String {
        switch start {
        case .year(let year): action.key(year)
        case .day(let day): action.key(day.iso)
        case .term(let first, let from): action.key(first.iso + (from.map { "+" + $0.iso } ?? ""))
        case .session(let session): action.key(session)
        case .other(let text): text
        }
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
        dueKey = DueKey(action: action, text: key)
    }

    /// The key read as a value, to be compared with what the engine finds.
    public let dueKey: DueKey
}

/// The term's figures behind a penalty notice flag: what a warning letter quotes.
public struct PenaltyTerm: Sendable, Hashable {
    /// The term so far.
    public let range: DateRange
    /// What counts towards each criterion: sessions for "unauthorised", "late_after_close" and
    /// "unagreed_holiday", days for "police_contact", events for "non_engagement" (made of "missed_meetings" and
    /// "unanswered_contacts", also given).
    public let counts: [String: Int]
    /// The criteria met, in the policy's order.
    public let met: [String]
    /// The sessions counting towards each criterion, in order: what a request's evidence marks in its register
    /// extract.
    public let sessions: [String: [SchoolSession]]
    /// Whether every criterion met waits for further unauthorised absence after the warning (the policy file's
    /// wait per criterion): false when one, such as a term-time holiday, waits for nothing more.
    public var waitsForFurtherAbsence: Bool = true
}

extension PenaltyTerm {
    /// The criteria a warned case is opened on: those the flag was raised on (its basis names them,
    /// comma-separated: "unauthorised,late_after_close") and any met since, in the term's order then the flag's.
    public func caseCriteria(flaggedOn basis: String) -> [PenaltyCriterion] {
        var names = met
        names += basis.split(separator: ",").map(String.init).filter { !names.contains($0) }
        return names.compactMap(PenaltyCriterion.init(rawValue:))
    }
}
