/// The people of DOMAIN.md section 1, as roles a user may hold (a user may hold several).
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case educationLead = "education_lead"
    case educationSocialWorker = "education_social_worker"
    case headTeacher = "head_teacher"
    case seniorManagement = "senior_management"
    case attendanceAdministrator = "attendance_administrator"
    case headOfYear = "head_of_year"
    case formTutor = "form_tutor"
    /// A subject teacher (issue 38): takes the lesson registers of the classes the timetable names them for, and of
    /// the lessons the office asks them to cover, and sees nothing else of those pupils' records.
    case teacher
    case governor
    /// The school improvement adviser (the policy: targets are set "with the SIA's and governors"): read access to
    /// the aggregate figures of the schools they advise, one grant per school, never a named pupil.
    case schoolImprovementAdviser = "school_improvement_adviser"
    case parent
    /// A member of a school's staff mentoring named pupils (the policy: "Pupils with attendance below the targeted
    /// level can be mentored by an identified member of staff"): one grant per mentee, given when the mentoring
    /// starts and taken away when it ends. They see those pupils' attendance, timeline and contacts, nothing else.
    case mentor
    /// Community Education Patrols: the Education Lead's staff and police partners who log children found out of
    /// school. They see only their own entries.
    case patrol

    public static func < (lhs: Role, rhs: Role) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// Which scope the role needs: nothing (the whole authority), schools, year groups, forms, or children.
    public var needsSchool: Bool {
        switch self {
        case .educationLead, .parent, .patrol: return false
        default: return true
        }
    }
}

/// One role held by a user, with its scope: the authority (education lead), one school (most staff and
/// governors; an education social worker has one grant per allocated school), named year groups (head of
/// year), named registration groups (form tutor), or one child (parent; one grant per child).
public struct RoleGrant: Hashable, Sendable, Codable {
    public let role: Role
    public let school: LAESTAB?
    public let yearGroups: [String]
    public let registrationGroups: [String]
    public let child: UPN?
    /// Named by the head teacher to decide whether absence is authorised at the school (senior management and
    /// the attendance office only).
    public let authorisesAbsence: Bool
    /// Named by the Education Lead as a senior ESW: allocates the school's referrals to ESWs, or returns them
    /// (education social workers only).
    public let allocatesReferrals: Bool

    public init(
        role: Role, school: LAESTAB? = nil, yearGroups: [String] = [], registrationGroups: [String] = [],
        child: UPN? = nil, authorisesAbsence: Bool = false, allocatesReferrals: Bool = false
    ) {
        self.authorisesAbsence = authorisesAbsence
        self.allocatesReferrals = allocatesReferrals
        self.role = role
        self.school = school
        self.yearGroups = yearGroups
        self.registrationGroups = registrationGroups
        self.child = child
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case needsSchool(Role)
        case needsYears
        case needsGroups
        case needsChild

        /// Its name in a string catalogue (`needsSchool`, …).
        public var key: String {
            switch self {
            case .needsSchool: "needsSchool"
            case .needsYears: "needsYears"
            case .needsGroups: "needsGroups"
            case .needsChild: "needsChild"
            }
        }

        public var description: String {
            switch self {
            case .needsSchool(let role): return "a \(role.rawValue) needs a school (--school LAESTAB)"
            case .needsYears: return "a head of year needs year groups (--years 7,8)"
            case .needsGroups: return "a form tutor needs registration groups (--groups 7A)"
            case .needsChild: return "a parent needs a child (--parent-of UPN)"
            }
        }
    }

    /// Checks that the grant names the scope its role needs.
    public func validate() throws(Problem) {
        if role.needsSchool && school == nil { throw .needsSchool(role) }
        if role == .headOfYear && yearGroups.isEmpty { throw .needsYears }
        if role == .formTutor && registrationGroups.isEmpty { throw .needsGroups }
        if [.parent, .mentor].contains(role) && child == nil { throw .needsChild }
    }
}
