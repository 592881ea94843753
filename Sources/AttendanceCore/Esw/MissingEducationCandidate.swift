/// A pupil on a school's roll whom the record suggests may be missing education, with why, for the school to
/// refer to the authority's Children Missing Education officer (the referral stays the school's decision).
public struct MissingEducationCandidate: Sendable, Hashable {
    /// What in the record puts the pupil on the list.
    public enum Reason: Sendable, Hashable {
        /// A run of continuous school days of unauthorised absence still going (nothing but unauthorised absence
        /// marked since), with no successful contact with the family since it began: no call or message that
        /// reached a parent, no absence reported by a parent.
        case longAbsence(from: LocalDate, schoolDays: Int)
        /// The head recorded a request for extended leave as taking the pupil off the roll (on `decidedOn`), and
        /// the pupil is still on it.
        case extendedLeave(request: LeaveRequestID, dates: DateRange, decidedOn: LocalDate)
        /// The ESW closed a case because the family left the school or the area, and the pupil is still on the roll.
        case familyMoved(on: LocalDate)

        /// The catalogue's key: `cme.candidate.<key>`.
        public var key: String {
            switch self {
            case .longAbsence: "longAbsence"
            case .extendedLeave: "extendedLeave"
            case .familyMoved: "familyMoved"
            }
        }

        /// The day the record first showed it, for ordering and for excluding a referral already made since.
        public var since: LocalDate {
            switch self {
            case .longAbsence(let from, _): from
            case .extendedLeave(_, _, let decidedOn): decidedOn
            case .familyMoved(let on): on
            }
        }
    }

    public let upn: UPN
    public let school: LAESTAB
    public let reasons: [Reason]

    public init(upn: UPN, school: LAESTAB, reasons: [Reason]) {
        self.upn = upn
        self.school = school
        self.reasons = reasons
    }

    /// The candidates from each pupil's reasons: a pupil already referred on or after the earliest reason's day is
    /// not listed again; the longest-standing first.
    public static func list(
        _ reasons: [UPN: (school: LAESTAB, reasons: [Reason])], referredSince: [UPN: LocalDate]
    ) -> [MissingEducationCandidate] {
        reasons.compactMap { upn, found -> MissingEducationCandidate? in
            guard let earliest = found.reasons.map(\.since).min() else { return nil }
            if let referred = referredSince[upn], referred >= earliest { return nil }
            return MissingEducationCandidate(
                upn: upn, school: found.school, reasons: found.reasons.sorted { $0.since < $1.since })
        }.sorted {
            ($0.reasons[0].since, $0.school.description, $0.upn.value)
                < ($1.reasons[0].since, $1.school.description, $1.upn.value)
        }
    }
}
