/// What the Community Paediatrician's assessment came to, as the school or the ESW records it.
public enum PaediatricOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Assessed: a health care plan or support in school advised.
    case healthPlan = "health_plan"
    /// Assessed: no medical reason found for the absence.
    case noMedicalReason = "no_medical_reason"
    /// Not seen: the family did not attend or declined.
    case notSeen = "not_seen"
    /// Said in the note.
    case other
}

/// A reintegration plan after medical absence: a partnership agreement between the family, the pupil, the ESW
/// service and the school (the policy), with its first day, its review, and what was agreed. Kept as recorded.
public struct ReintegrationPlan: Sendable, Hashable {
    public let id: Int
    public let startsOn: LocalDate
    public let reviewOn: LocalDate
    public let arrangements: String
    public let agreedWith: String
    public let recordedBy: String

    public init(
        id: Int, startsOn: LocalDate, reviewOn: LocalDate, arrangements: String, agreedWith: String,
        recordedBy: String
    ) {
        self.id = id
        self.startsOn = startsOn
        self.reviewOn = reviewOn
        self.arrangements = arrangements
        self.agreedWith = agreedWith
        self.recordedBy = recordedBy
    }
}

/// A referral of a pupil with continued medical absence after Letter 3 to the Community Paediatrician, with what
/// the record showed when it was made, its outcome once known, and the reintegration plans that followed.
public struct PaediatricReferral: Sendable, Hashable {
    public let id: Int
    public let upn: UPN
    public let school: LAESTAB
    public let referredOn: LocalDate
    public let referredBy: String
    public let reason: String
    /// The day Letter 3 was sent, and the illness and medical sessions since it, when the referral was made on
    /// that ground; on the share of the year's sessions, no Letter 3 and the year's illness and medical sessions.
    public let letter3On: LocalDate?
    public let medicalSessions: Int
    public let outcome: PaediatricOutcome?
    public let outcomeOn: LocalDate?
    public let outcomeNote: String?
    public let plans: [ReintegrationPlan]

    public init(
        id: Int, upn: UPN, school: LAESTAB, referredOn: LocalDate, referredBy: String, reason: String,
        letter3On: LocalDate?, medicalSessions: Int, outcome: PaediatricOutcome?, outcomeOn: LocalDate?,
        outcomeNote: String?, plans: [ReintegrationPlan]
    ) {
        self.id = id
        self.upn = upn
        self.school = school
        self.referredOn = referredOn
        self.referredBy = referredBy
        self.reason = reason
        self.letter3On = letter3On
        self.medicalSessions = medicalSessions
        self.outcome = outcome
        self.outcomeOn = outcomeOn
        self.outcomeNote = outcomeNote
        self.plans = plans
    }
}

/// When a referral to the Community Paediatrician, its outcome and a reintegration plan may be recorded.
public enum MedicalReferralRules {
    public enum Problem: Error, Sendable, Hashable {
        /// No Letter 3 this school year, and illness and medical absence below the policy's share.
        case noLetter3
        /// No illness or medical absence since Letter 3: there is no continued medical absence to refer.
        case noMedicalAbsenceSinceLetter3
        /// A referral waiting for its outcome already.
        case alreadyReferred
        /// The outcome is recorded once, not before the referral nor after today.
        case outcomeNotNow
        /// A plan's review before its first day, or nothing said of what was agreed or with whom.
        case badPlan

        /// The catalogue's key: `error.medical.<key>`.
        public var key: String {
            switch self {
            case .noLetter3: "noLetter3"
            case .noMedicalAbsenceSinceLetter3: "noMedicalAbsence"
            case .alreadyReferred: "alreadyReferred"
            case .outcomeNotNow: "outcomeNotNow"
            case .badPlan: "badPlan"
            }
        }
    }

    /// What a referral rests on: "A referral may be made … in cases of persistent absences due to illness or
    /// medical issues" (policy). Letter 3 sent and medical absence since; or, before Letter 3, illness and medical
    /// sessions this year reaching the policy file's share of the possible sessions (default 10%, the persistent
    /// absence line).
    public enum Ground: String, Sendable, Hashable {
        case afterLetter3 = "letter_3"
        case illnessShare = "illness_share"
    }

    /// The medical absence a referral could rest on, as the record shows it.
    public struct Standing: Sendable, Hashable {
        public let letter3On: LocalDate?
        /// Illness and medical sessions since Letter 3.
        public let sinceLetter3: Int
        /// Illness and medical sessions this school year, and the sessions possible.
        public let thisYear: Int
        public let possible: Int

        public init(letter3On: LocalDate?, sinceLetter3: Int, thisYear: Int, possible: Int) {
            self.letter3On = letter3On
            self.sinceLetter3 = sinceLetter3
            self.thisYear = thisYear
            self.possible = possible
        }

        /// Whether the year's illness and medical sessions reach `percent` of the possible sessions.
        public func reachesShare(_ percent: Int) -> Bool { possible > 0 && thisYear * 100 >= possible * percent }
    }

    /// The ground a referral may be made on now, or why not.
    public static func checkReferral(_ standing: Standing, sharePercent: Int, waiting: Bool) throws(Problem) -> Ground {
        if waiting { throw .alreadyReferred }
        if standing.letter3On != nil && standing.sinceLetter3 > 0 { return .afterLetter3 }
        if standing.reachesShare(sharePercent) { return .illnessShare }
        throw standing.letter3On == nil ? .noLetter3 : .noMedicalAbsenceSinceLetter3
    }

    public static func checkOutcome(_ referral: PaediatricReferral, on day: LocalDate, today: LocalDate)
        throws(Problem)
    {
        guard referral.outcome == nil, day >= referral.referredOn, day <= today else { throw .outcomeNotNow }
    }

    public static func checkPlan(startsOn: LocalDate, reviewOn: LocalDate, arrangements: String, agreedWith: String)
        throws(Problem)
    {
        guard reviewOn > startsOn, !arrangements.isEmpty, !agreedWith.isEmpty else { throw .badPlan }
    }

    /// Whether a code's session is medical absence for the referral: illness or a medical appointment.
    public static func isMedical(_ code: AttendanceCode) -> Bool { code.means(.illness) || code.means(.medical) }
}
