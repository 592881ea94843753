/// Where a pupil's case with the Education Social Work service stands. A school's referral waits in the
/// authority's inbox until it is allocated to an ESW or returned to the school with a reason; an allocated case
/// stays open until the ESW closes it with an outcome.
public enum EswCaseStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case referred, allocated, returned, closed

    public var isOpen: Bool { self == .referred || self == .allocated }
}

/// How a referral came: the procedure's referral at its threshold (the referral letter produced or the queue's
/// action done), or a school's referral by hand.
public enum EswReferralSource: String, Sendable, Hashable, Codable, CaseIterable {
    case procedure, school
}

/// What an ESW records in a case's log.
public enum EswEntryKind: String, Sendable, Hashable, Codable, CaseIterable {
    case homeVisit = "home_visit"
    case call
    case meeting
    case schoolVisit = "school_visit"
    case note
}

/// How a case ended.
public enum EswOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Attendance improved enough to close.
    case improved
    /// The pupil left the school or the area.
    case left
    /// Handed on to legal action (a penalty notice or prosecution).
    case legal
    /// Closed for another reason, said in the closing note.
    case other
}

/// One step of a case as recorded: never changed. `data` holds a log entry's details as JSON (kind, who was
/// seen, outcome, next step and its date).
public struct EswEvent: Sendable, Hashable {
    public let step: String
    public let at: String
    public let by: String
    public let reason: String?
    public let data: [String: String]

    public init(step: String, at: String, by: String, reason: String?, data: [String: String]) {
        self.step = step
        self.at = at
        self.by = by
        self.reason = reason
        self.data = data
    }
}

/// A pupil's case with the ESW service, with its record of steps.
public struct EswCase: Sendable, Hashable {
    public let id: EswCaseID
    public let upn: UPN
    public let school: LAESTAB
    public let status: EswCaseStatus
    public let source: EswReferralSource
    public let referredOn: LocalDate
    public let referredBy: String
    /// The school's notes and the concerns it knows of, as written on the referral.
    public let notes: String
    public let concerns: String
    /// The ESW the case is allocated to (their email), once allocated.
    public let allocatedTo: String?
    /// The next step the ESW has set, and its date.
    public let nextStep: String?
    public let nextStepOn: LocalDate?
    public let events: [EswEvent]

    public init(
        id: EswCaseID, upn: UPN, school: LAESTAB, status: EswCaseStatus, source: EswReferralSource,
        referredOn: LocalDate,
        referredBy: String, notes: String, concerns: String, allocatedTo: String?, nextStep: String?,
        nextStepOn: LocalDate?, events: [EswEvent]
    ) {
        self.id = id
        self.upn = upn
        self.school = school
        self.status = status
        self.source = source
        self.referredOn = referredOn
        self.referredBy = referredBy
        self.notes = notes
        self.concerns = concerns
        self.allocatedTo = allocatedTo
        self.nextStep = nextStep
        self.nextStepOn = nextStepOn
        self.events = events
    }
}

/// The steps a case may take from where it stands: allocate or return a referral; log and close an allocated case.
public enum EswRules {
    public enum Step: String, Sendable, Hashable, CaseIterable {
        case allocate, `return`, log, close
    }

    public enum Problem: Error, Sendable, Hashable {
        /// The step does not follow from where the case stands.
        case notNow(EswCaseStatus, Step)
        /// A return or a closing needs its reason.
        case noReason
        /// The ESW chosen does not work at the pupil's school.
        case notTheSchoolsEsw
        /// A next step's date before the entry it follows.
        case nextStepBeforeEntry

        /// The catalogue's key for the problem: `error.esw.<key>`.
        public var key: String {
            switch self {
            case .notNow: "notNow"
            case .noReason: "noReason"
            case .notTheSchoolsEsw: "notTheSchoolsEsw"
            case .nextStepBeforeEntry: "nextStepBeforeEntry"
            }
        }
    }

    public static func apply(_ step: Step, to status: EswCaseStatus) throws(Problem) -> EswCaseStatus {
        switch (step, status) {
        case (.allocate, .referred): return .allocated
        case (.return, .referred): return .returned
        case (.log, .allocated): return .allocated
        case (.close, .allocated): return .closed
        default: throw .notNow(status, step)
        }
    }
}
