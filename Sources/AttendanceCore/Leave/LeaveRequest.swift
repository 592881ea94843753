/// The exceptional circumstances the policy names for leave in term time (DOMAIN.md §6). Cost is never one.
public enum ExceptionalCategory: String, Sendable, Hashable, Codable, CaseIterable {
    /// An employer's fixed leave, with the employer's documents.
    case employerLeave = "employer_leave"
    /// Service personnel before or after a tour of duty.
    case serviceTour = "service_tour"
    /// A religious festival, or a wedding or funeral of immediate family.
    case familyOccasion = "family_occasion"
    /// Other compassionate reasons.
    case compassionate
    /// Rehabilitation recommended by a qualified professional (evidence required).
    case rehabilitation
    /// Anything else, which the head may refer to the local authority.
    case other
}

/// A parent's request for leave in term time (the policy's appendix 2 form), and the head's decision on it.
public struct LeaveRequest: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case pending, agreed, refused, referred
        /// Some of the days agreed, the rest refused.
        case partlyAgreed = "partly_agreed"
        /// An extended absence: the pupil comes off the roll and the parent reapplies to the local authority.
        case offRoll = "off_roll"
    }

    public let id: LeaveRequestID
    public let upn: UPN
    public let school: LAESTAB
    public let dates: DateRange
    public let reason: String
    public let exceptionalCategory: ExceptionalCategory?
    /// The evidence the parent describes (documents are shown to the school, not uploaded here).
    public let details: String
    /// The other children at the school the request also covers, as the parent named them.
    public let siblings: String
    public let requestedBy: String
    public let requestedAt: String
    public let status: Status
    public let decision: LeaveDecision?

    public init(
        id: LeaveRequestID, upn: UPN, school: LAESTAB, dates: DateRange, reason: String,
        exceptionalCategory: ExceptionalCategory?,
        details: String, siblings: String, requestedBy: String, requestedAt: String, status: Status,
        decision: LeaveDecision?
    ) {
        self.id = id
        self.upn = upn
        self.school = school
        self.dates = dates
        self.reason = reason
        self.exceptionalCategory = exceptionalCategory
        self.details = details
        self.siblings = siblings
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.status = status
        self.decision = decision
    }
}

/// What the head decided: agreed days (all or some of those asked), refused, or referred to the local
/// authority, each with a reason; who decided and when.
public struct LeaveDecision: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case agreed, refused, referred
        /// For a request of more than four continuous weeks: the head records that the policy takes the pupil
        /// off the roll and the parent must reapply to the local authority for a place.
        case offRoll = "off_roll"
    }

    public let kind: Kind
    /// The days agreed (within those asked); nil unless agreed.
    public let agreed: DateRange?
    public let reason: String
    /// The exceptional category the head recorded (needed to agree more than the yearly limit).
    public let exceptionalCategory: ExceptionalCategory?
    public let decidedBy: String
    public let decidedAt: String

    public init(
        kind: Kind, agreed: DateRange?, reason: String, exceptionalCategory: ExceptionalCategory?, decidedBy: String,
        decidedAt: String
    ) {
        self.kind = kind
        self.agreed = agreed
        self.reason = reason
        self.exceptionalCategory = exceptionalCategory
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}
