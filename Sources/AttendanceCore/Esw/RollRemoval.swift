/// Why a pupil comes off a school's register: the grounds of the pupil registration regulations, each recorded
/// with the deletion. Grounds that leave a child's whereabouts in doubt need the authority's Children Missing
/// Education enquiries complete first; admission elsewhere needs the new school named.
public enum RemovalGround: String, Sendable, Hashable, Codable, CaseIterable {
    case admittedElsewhere = "admitted_elsewhere"
    case homeEducation = "home_education"
    case compulsoryAgeEnded = "compulsory_age_ended"
    case permanentlyExcluded = "permanently_excluded"
    case died
    case medicallyUnfit = "medically_unfit"
    case custody
    case notReturnedAfterLeave = "not_returned_after_leave"
    case whereaboutsUnknown = "whereabouts_unknown"
    case movedAway = "moved_away"
    /// The head's decision on a parent's request for more than four continuous weeks away: off the roll from the
    /// first day of the absence, once the pupil is admitted elsewhere or the authority's CME document is recorded.
    case extendedAbsence = "extended_absence"

    /// Grounds on which the child may be missing education: the CME process must be complete.
    public var needsMissingEducationEnquiries: Bool {
        [.notReturnedAfterLeave, .whereaboutsUnknown, .movedAway, .extendedAbsence].contains(self)
    }

    /// Admission elsewhere is recorded with the new school's LAESTAB.
    public var needsNewSchool: Bool { self == .admittedElsewhere }
}

/// The guard every deletion from the register passes, from a page or an import.
public enum RollRemovalRules {
    public enum Problem: Error, Sendable, Hashable {
        case noGround
        case newSchoolNeeded
        case missingEducationEnquiriesOpen
        /// Extended absence needs the head's recorded decision on an extended leave request.
        case noExtendedLeaveDecision

        public var key: String {
            switch self {
            case .noExtendedLeaveDecision: "noExtendedLeaveDecision"
            case .noGround: "noGround"
            case .newSchoolNeeded: "newSchoolNeeded"
            case .missingEducationEnquiriesOpen: "cmeOpen"
            }
        }
    }

    public static func check(ground: RemovalGround?, newSchool: LAESTAB?, enquiriesComplete: Bool) throws(Problem) {
        guard let ground else { throw .noGround }
        if ground.needsNewSchool && newSchool == nil { throw .newSchoolNeeded }
        if ground.needsMissingEducationEnquiries && !enquiriesComplete { throw .missingEducationEnquiriesOpen }
    }

    /// The deletion reaches the authority's return within this many school days.
    public static let returnWithinSchoolDays = 10
}

/// How the authority's Children Missing Education enquiries ended.
public enum MissingEducationOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// On the roll of another school (its LAESTAB recorded).
    case foundAtSchool = "found_at_school"
    case movedAbroad = "moved_abroad"
    case electiveHomeEducation = "elective_home_education"
    /// Back at this school: no deletion follows.
    case returned
    /// Whereabouts unknown after reasonable enquiries.
    case whereaboutsUnknown = "whereabouts_unknown"
}
