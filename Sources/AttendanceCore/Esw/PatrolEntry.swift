/// What a patrol records of a child found out of school: what it saw and was told, and the school named when it
/// is one of the authority's.
public struct PatrolSighting: Sendable, Hashable {
    public let seenOn: LocalDate
    public let seenAt: String
    public let place: String
    public let nameGiven: String
    public let schoolGiven: String
    public let school: LAESTAB?
    public let reasonGiven: String
    public let accompanied: Bool
    public let takenTo: String

    public init(
        seenOn: LocalDate, seenAt: String, place: String, nameGiven: String, schoolGiven: String, school: LAESTAB?,
        reasonGiven: String, accompanied: Bool, takenTo: String
    ) {
        self.seenOn = seenOn
        self.seenAt = seenAt
        self.place = place
        self.nameGiven = nameGiven
        self.schoolGiven = schoolGiven
        self.school = school
        self.reasonGiven = reasonGiven
        self.accompanied = accompanied
        self.takenTo = takenTo
    }
}

/// A sighting as logged, with the pupil it matched on the named school's roll (when exactly one pupil there has the
/// name given), who logged it and when.
public struct PatrolEntry: Sendable, Hashable {
    public let id: Int
    public let sighting: PatrolSighting
    public let upn: UPN?
    public let loggedBy: String
    public let loggedAt: String

    public init(id: Int, sighting: PatrolSighting, upn: UPN?, loggedBy: String, loggedAt: String) {
        self.id = id
        self.sighting = sighting
        self.upn = upn
        self.loggedBy = loggedBy
        self.loggedAt = loggedAt
    }

    public var seenOn: LocalDate { sighting.seenOn }
}

/// Matching by hand an entry the name-match left unmatched: only the school the entry named, once, to a pupil on
/// its roll the day the child was seen.
public enum PatrolMatchRules {
    public enum Problem: Error, Sendable, Hashable {
        case alreadyMatched
        case notOnRollThatDay

        /// The catalogue's key: `error.patrol.<key>`.
        public var key: String {
            switch self {
            case .alreadyMatched: "alreadyMatched"
            case .notOnRollThatDay: "notOnRollThatDay"
            }
        }
    }

    public static func check(_ entry: PatrolEntry, pupilOnRoll: Bool) throws(Problem) {
        guard entry.upn == nil else { throw .alreadyMatched }
        guard pupilOnRoll else { throw .notOnRollThatDay }
    }
}
