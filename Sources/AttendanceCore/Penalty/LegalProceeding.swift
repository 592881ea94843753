/// Beyond the notice (DOMAIN.md §7): prosecution under s.444 of the Education Act 1996 (following an unpaid notice
/// or an ESW case), an Education Supervision Order (the authority's step on an ESW case) and a School Attendance
/// Order (for a child on no school's roll, with children missing education). Each is a sequence of steps the
/// Education Lead records with their days; nothing is filed with a court from here.
public enum LegalKind: String, Sendable, Hashable, Codable, CaseIterable {
    case prosecution
    case supervisionOrder = "education_supervision_order"
    case attendanceOrder = "school_attendance_order"
}

/// Where a proceeding came from: the case it follows.
public enum LegalOrigin: String, Sendable, Hashable, Codable, CaseIterable {
    /// A penalty notice unpaid after 42 days, referred for prosecution.
    case penaltyNotice = "penalty_notice"
    case eswCase = "esw_case"
    case missingEducation = "missing_education"
}

/// A step of a proceeding, recorded with its day, who recorded it, and what it names (a court, a supervisor, a
/// school).
public enum LegalStep: String, Sendable, Hashable, Codable, CaseIterable {
    // Prosecution: referred to the legal team, information laid before the magistrates, each hearing, the outcome.
    case referred, laid, hearing, convicted
    case notConvicted = "not_convicted"
    // Education Supervision Order: applied for, granted or refused, the supervisor named, the order's end.
    case applied, granted, refused
    case supervisorNamed = "supervisor_named"
    case ended
    // School Attendance Order: the notice served on the parents, the school named, the order made, complied with
    // or breached.
    case noticeServed = "notice_served"
    case schoolNamed = "school_named"
    case orderMade = "order_made"
    case complied, breached

    /// A step that names something (the court, the supervisor, the school) needs it said.
    public var needsDetail: Bool { [.laid, .hearing, .supervisorNamed, .schoolNamed].contains(self) }
}

/// The order of each proceeding's steps, in one place.
public enum LegalRules {
    public enum Problem: Error, Sendable, Hashable {
        /// The step cannot follow the steps so far (named: the step asked for).
        case outOfOrder(LegalStep)
        /// The step names something and nothing was said.
        case needsDetail(LegalStep)
        /// The proceeding cannot start from that case (it does not follow from it).
        case wrongOrigin
        /// The step's day is before the last step's, or after today.
        case badDay
        /// A proceeding of that kind already follows that case.
        case alreadyStarted

        public var key: String {
            switch self {
            case .outOfOrder: "outOfOrder"
            case .needsDetail: "needsDetail"
            case .wrongOrigin: "wrongOrigin"
            case .badDay: "badDay"
            case .alreadyStarted: "alreadyStarted"
            }
        }
    }

    /// The first step of each kind, and the cases it may follow.
    public static func first(_ kind: LegalKind) -> LegalStep {
        switch kind {
        case .prosecution: .referred
        case .supervisionOrder: .applied
        case .attendanceOrder: .noticeServed
        }
    }

    public static func origins(_ kind: LegalKind) -> Set<LegalOrigin> {
        switch kind {
        case .prosecution: [.penaltyNotice, .eswCase]
        case .supervisionOrder: [.eswCase]
        case .attendanceOrder: [.missingEducation]
        }
    }

    /// The steps that may follow the last one (nothing once the proceeding has ended).
    public static func next(_ kind: LegalKind, after last: LegalStep?) -> [LegalStep] {
        guard let last else { return [first(kind)] }
        switch (kind, last) {
        case (.prosecution, .referred): return [.laid]
        case (.prosecution, .laid): return [.hearing]
        // A hearing may be adjourned to another.
        case (.prosecution, .hearing): return [.hearing, .convicted, .notConvicted]
        case (.supervisionOrder, .applied): return [.granted, .refused]
        case (.supervisionOrder, .granted): return [.supervisorNamed]
        case (.supervisionOrder, .supervisorNamed): return [.ended]
        case (.attendanceOrder, .noticeServed): return [.schoolNamed]
        case (.attendanceOrder, .schoolNamed): return [.orderMade]
        case (.attendanceOrder, .orderMade): return [.complied, .breached]
        default: return []
        }
    }

    /// Whether a step may be recorded now, on `day`, after the last step (on `lastDay`).
    public static func check(
        _ step: LegalStep, kind: LegalKind, after last: LegalStep?, lastDay: LocalDate?, on day: LocalDate,
        today: LocalDate, detail: String
    ) throws(Problem) {
        guard next(kind, after: last).contains(step) else { throw .outOfOrder(step) }
        if step.needsDetail && detail.isEmpty { throw .needsDetail(step) }
        if day > today || lastDay.map({ day < $0 }) == true { throw .badDay }
    }
}

/// A proceeding as recorded: its kind, the pupil, the case it follows, and its steps in order.
public struct LegalProceeding: Sendable, Hashable {
    public struct Event: Sendable, Hashable {
        public let step: LegalStep
        public let on: LocalDate
        public let detail: String
        public let by: String

        public init(step: LegalStep, on: LocalDate, detail: String, by: String) {
            self.step = step
            self.on = on
            self.detail = detail
            self.by = by
        }
    }

    public let id: Int
    public let kind: LegalKind
    public let upn: UPN
    public let origin: LegalOrigin
    public let originID: Int
    public let events: [Event]

    public init(id: Int, kind: LegalKind, upn: UPN, origin: LegalOrigin, originID: Int, events: [Event]) {
        self.id = id
        self.kind = kind
        self.upn = upn
        self.origin = origin
        self.originID = originID
        self.events = events
    }

    public var last: LegalStep? { events.last?.step }
    public var next: [LegalStep] { LegalRules.next(kind, after: last) }
    public var isOpen: Bool { !next.isEmpty }
}
