/// What a request may do. Every route declares one of these.
public enum Permission: String, Sendable, CaseIterable {
    /// Anyone, signed in or not: the sign-in page, the health check.
    case anyone
    /// Any signed-in user: their own home page, password and API tokens.
    case signedIn = "signed_in"
    /// Figures for the whole authority, every school side by side.
    case viewAuthority = "view_authority"
    /// Aggregate figures for one school (no pupil named): governors may see these.
    case viewSchoolFigures = "view_school_figures"
    /// A named pupil's attendance.
    case viewPupil = "view_pupil"
    /// The audit trail: the head teacher for their school, the education lead for all.
    case viewAudit = "view_audit"
    /// Mark a registration group's register (form tutors for their forms; office, leaders for the school).
    case takeRegister = "take_register"
    /// See and print a registration group's register.
    case viewRegister = "view_register"
    /// The attendance office's tools for a school: late book, missing marks, first-day absences.
    case manageAttendance = "manage_attendance"
    /// Authorise absence (set or undo an authorised code): the head teacher alone.
    case authoriseAbsence = "authorise_absence"
    /// Work a school's procedure queue (letters, calls, meetings); a head of year for their years only.
    case workActions = "work_actions"
    /// See users and reset their passwords: the education lead for all, a head teacher for their school's staff.
    case manageUsers = "manage_users"
    /// Change the wording of the authority's letters: the education lead.
    case manageLetters = "manage_letters"
    /// Warn a parent of a penalty notice, or decide not now: the head teacher alone (not a delegate).
    case decidePenalty = "decide_penalty"
    /// Report a pupil's absence or ask for leave in term time: the pupil's parent, and the school's office or
    /// leaders entering a parent's form for them.
    case requestForPupil = "request_for_pupil"
    /// Decide a request for leave in term time: the head teacher alone (the policy: the head decides).
    case decideLeave = "decide_leave"
    /// A school's penalty notice cases: its leaders, office and education social worker read them; governors see
    /// counts only; the education lead every school's.
    case viewPenalties = "view_penalties"
    /// A school's penalty cases by name and their evidence packs: its leaders, office and education social worker,
    /// and the education lead. Never a governor, a parent or a patrol, whatever else the same person holds.
    case viewPenaltyCases = "view_penalty_cases"
    /// Decide penalty notice requests, issue notices, record payments, refer for prosecution: the education lead.
    case issuePenalty = "issue_penalty"
    /// The ESW service's inbox: allocate the schools' referrals to ESWs, or return them: the education lead for
    /// every school, a senior ESW for the schools they are senior ESW of.
    case allocateReferrals = "allocate_referrals"
    /// Work a school's ESW cases (read, log visits and calls, close): the school's ESW, and the education lead;
    /// asked of no school, an ESW's own caseload.
    case workEswCases = "work_esw_cases"
    /// The authority's Children Missing Education enquiries (log them, record their outcome): the education lead.
    case manageMissingEducation = "manage_missing_education"
    /// Refer a pupil with continued medical absence after Letter 3 to the Community Paediatrician, record the
    /// outcome and a reintegration plan: the school's office and leaders, and its ESW (the policy: initiated by
    /// the school and the ESW).
    case referMedical = "refer_medical"
    /// Log a child found out of school by a Community Education Patrol, and see one's own entries: the patrol
    /// role (the education lead sees every entry).
    case logPatrol = "log_patrol"
    /// Set or confirm a school's attendance target for the year: the head teacher alone (the policy's duty).
    case setTarget = "set_target"
    /// Propose a target for every school, for each head to confirm or change: the education lead.
    case proposeTargets = "propose_targets"
    /// Raise a concern about a school's attendance with its head, and close it once answered: the education lead.
    case raiseConcern = "raise_concern"
    /// Answer the authority's concern about the school: the head teacher (the policy: raised with Head Teachers).
    case answerConcern = "answer_concern"
    /// Record and follow a school's interventions (mentoring, workshops, parents' evenings, sanctions, group
    /// support): its leaders, office and heads of year (for their years' pupils), and its ESW.
    case manageInterventions = "manage_interventions"
    /// Log a mentoring meeting or contact with a mentee or their family: the pupil's mentor.
    case mentorPupil = "mentor_pupil"
    /// Import Common Transfer Files and make or download them (issue 36: "only the school's office, leaders and the
    /// lead"): the attendance office, senior management and the head teacher, and the education lead.
    case transferRecords = "transfer_records"
    /// Everything the record holds about a pupil, as one file, for a subject access request under UK GDPR: the head
    /// teacher of a school the pupil is on the roll of, and the education lead.
    case subjectAccess = "subject_access"
    /// Take a lesson's register: the class's teacher and the lesson's cover for the day, and the school's office
    /// and leaders (issue 38).
    case takeLesson = "take_lesson"
    /// The same-day check (pupils registered on site and missing from a lesson) and recording what was found: the
    /// school's office and leaders, and heads of year (for their years' pupils).
    case checkLessons = "check_lessons"
}

/// A lesson on a day, as the access policy sees it: its school, and who teaches it that day (the timetable's
/// teacher and the cover the office named), by email in lower case.
public struct LessonPlacement: Hashable, Sendable {
    public let school: LAESTAB
    public let teachers: Set<String>

    public init(school: LAESTAB, teachers: Set<String>) {
        self.school = school
        self.teachers = Set(teachers.map { $0.lowercased() })
    }
}

/// A registration group at a school, with the year groups of the pupils in it.
public struct GroupPlacement: Hashable, Sendable {
    public let school: LAESTAB
    public let group: String
    public let yearGroups: Set<String>

    public init(school: LAESTAB, group: String, yearGroups: Set<String>) {
        self.school = school
        self.group = group
        self.yearGroups = yearGroups
    }
}

/// A pupil as the policy sees them: where they are on roll now, where they were, and their groups (the groups
/// are the current school's: a former school's groups are not kept).
public struct PupilPlacement: Hashable, Sendable {
    public let upn: UPN
    public let enrolments: [Enrolment]
    public let yearGroup: String
    public let registrationGroup: String
    /// Schools whose roll the pupil is on at `asOf` (or will join).
    public let currentSchools: Set<LAESTAB>
    /// Schools the pupil has left and is no longer on the roll of.
    public let formerSchools: Set<LAESTAB>

    public init(upn: UPN, enrolments: [Enrolment], yearGroup: String, registrationGroup: String, asOf: LocalDate) {
        self.upn = upn
        self.enrolments = enrolments
        self.yearGroup = yearGroup
        self.registrationGroup = registrationGroup
        let current = Set(enrolments.filter { $0.isCurrent(on: asOf) }.map(\.school))
        currentSchools = current
        formerSchools = Set(enrolments.map(\.school)).subtracting(current)
    }

    /// The pupil's enrolments at one school (several if they left and came back).
    public func enrolments(at school: LAESTAB) -> [Enrolment] { enrolments.filter { $0.school == school } }
}

/// How much of a pupil's record a user sees.
public enum PupilView: Hashable, Sendable {
    case none
    /// The whole record: a school the pupil is on the roll of, or the authority.
    case full
    /// A parent's view of their own child: figures and marks, no staff notes.
    case parent
    /// Staff of schools the pupil has left: only what was recorded while the pupil was on their roll, read-only,
    /// and nothing from the school the pupil is at now.
    case formerSchools(Set<LAESTAB>)
}

/// What a permission is asked about.
public enum AccessTarget: Hashable, Sendable {
    case none
    case school(LAESTAB)
    case pupil(PupilPlacement)
    case registrationGroup(GroupPlacement)
    case lesson(LessonPlacement)
}

/// The one authorisation policy: roles and scopes from DOMAIN.md section 1. Pure, so it is tested as a table.
public enum AccessPolicy {
    /// - Parameter user: the email of the user holding the grants: a teacher's lessons are those the timetable or
    ///   the day's cover names them for.
    public static func allows(
        _ grants: [RoleGrant], _ permission: Permission, _ target: AccessTarget, user: String = ""
    ) -> Bool {
        switch permission {
        case .anyone: return true
        case .signedIn: return !grants.isEmpty
        default: return grants.contains { allows($0, permission, target, user: user) }
        }
    }

    static func allows(_ grant: RoleGrant, _ permission: Permission, _ target: AccessTarget, user: String) -> Bool {
        if grant.role == .educationLead {
            // The authority sees everything but neither marks registers nor authorises a school's absence.
            return ![
                .anyone, .takeRegister, .manageAttendance, .authoriseAbsence, .workActions, .decidePenalty,
                .requestForPupil, .decideLeave, .setTarget, .answerConcern, .manageInterventions, .mentorPupil,
                .takeLesson, .checkLessons,
            ].contains(permission)
        }
        switch (permission, target) {
        case (.takeLesson, .lesson(let lesson)):
            guard grant.school == lesson.school else { return false }
            switch grant.role {
            case .teacher: return !user.isEmpty && lesson.teachers.contains(user.lowercased())
            case .attendanceAdministrator, .seniorManagement, .headTeacher: return true
            default: return false
            }
        case (.takeLesson, .none):
            // The "my lessons" list itself; it shows only the lessons the user may take.
            return [.teacher, .attendanceAdministrator, .seniorManagement, .headTeacher].contains(grant.role)
        case (.checkLessons, .school(let school)):
            return grant.school == school
                && [.attendanceAdministrator, .seniorManagement, .headTeacher, .headOfYear].contains(grant.role)
        case (.viewAuthority, _):
            return false
        case (.viewSchoolFigures, .school(let school)):
            // Every school role, governors included, sees its own school's aggregate figures; a mentor only their
            // mentees.
            return ![.parent, .mentor, .teacher].contains(grant.role) && grant.school == school
        case (.viewPupil, .pupil(let pupil)):
            return sees(grant, pupil) || seesFormerly(grant, pupil)
        case (.viewAudit, .school(let school)):
            return grant.role == .headTeacher && grant.school == school
        case (.viewAudit, .none):
            // The audit search page itself; its results are narrowed to the schools the user may audit.
            return grant.role == .headTeacher
        case (.takeRegister, .registrationGroup(let group)):
            guard grant.school == group.school else { return false }
            switch grant.role {
            case .formTutor: return grant.registrationGroups.contains(group.group)
            case .attendanceAdministrator, .seniorManagement, .headTeacher: return true
            default: return false
            }
        case (.viewRegister, .registrationGroup(let group)):
            guard grant.school == group.school else { return false }
            switch grant.role {
            case .formTutor: return grant.registrationGroups.contains(group.group)
            case .headOfYear: return !group.yearGroups.isDisjoint(with: grant.yearGroups)
            case .attendanceAdministrator, .seniorManagement, .headTeacher, .educationSocialWorker: return true
            default: return false
            }
        case (.takeRegister, .none), (.viewRegister, .none):
            // The "my registers" list itself; it shows only the groups the user may take or see.
            return [.formTutor, .headOfYear, .attendanceAdministrator, .seniorManagement, .headTeacher].contains(
                grant.role)
        case (.manageAttendance, .school(let school)):
            return grant.school == school
                && [.attendanceAdministrator, .seniorManagement, .headTeacher].contains(grant.role)
        case (.manageUsers, .none):
            return grant.role == .headTeacher
        case (.workActions, .school(let school)):
            return grant.school == school
                && [.attendanceAdministrator, .seniorManagement, .headTeacher, .headOfYear, .educationSocialWorker]
                    .contains(grant.role)
        case (.authoriseAbsence, .school(let school)):
            // The head teacher decides; so do the staff the head has named to decide in their stead.
            return grant.school == school
                && (grant.role == .headTeacher
                    || (grant.authorisesAbsence && [.seniorManagement, .attendanceAdministrator].contains(grant.role)))
        case (.decidePenalty, .school(let school)), (.decideLeave, .school(let school)):
            return grant.school == school && grant.role == .headTeacher
        case (.viewPenalties, .school(let school)):
            return grant.school == school
                && [.headTeacher, .seniorManagement, .attendanceAdministrator, .educationSocialWorker, .governor]
                    .contains(grant.role)
        case (.viewPenaltyCases, .school(let school)):
            return grant.school == school
                && [.headTeacher, .seniorManagement, .attendanceAdministrator, .educationSocialWorker]
                    .contains(grant.role)
        case (.allocateReferrals, .school(let school)):
            return grant.role == .educationSocialWorker && grant.allocatesReferrals && grant.school == school
        case (.allocateReferrals, .none):
            // The inbox itself; it shows only the schools the user allocates for.
            return grant.role == .educationSocialWorker && grant.allocatesReferrals
        case (.workEswCases, .school(let school)):
            return grant.school == school && grant.role == .educationSocialWorker
        case (.workEswCases, .none):
            return grant.role == .educationSocialWorker
        case (.logPatrol, .none):
            return grant.role == .patrol
        case (.setTarget, .school(let school)), (.answerConcern, .school(let school)):
            return grant.school == school && grant.role == .headTeacher
        case (.manageInterventions, .school(let school)):
            return grant.school == school
                && [.headTeacher, .seniorManagement, .attendanceAdministrator, .headOfYear, .educationSocialWorker]
                    .contains(grant.role)
        case (.transferRecords, .school(let school)):
            return grant.school == school
                && [.attendanceAdministrator, .seniorManagement, .headTeacher].contains(grant.role)
        case (.subjectAccess, .pupil(let pupil)):
            return grant.role == .headTeacher && grant.school.map(pupil.currentSchools.contains) == true
        case (.mentorPupil, .pupil(let pupil)):
            return grant.role == .mentor && grant.child == pupil.upn
                && grant.school.map(pupil.currentSchools.contains) == true
        case (.referMedical, .school(let school)):
            return grant.school == school
                && [.attendanceAdministrator, .seniorManagement, .headTeacher, .educationSocialWorker].contains(
                    grant.role)
        case (.requestForPupil, .pupil(let pupil)):
            switch grant.role {
            case .parent: return grant.child == pupil.upn
            case .attendanceAdministrator, .seniorManagement, .headTeacher:
                return grant.school.map(pupil.currentSchools.contains) == true
            default: return false
            }
        default:
            return false
        }
    }

    /// Whether the grant sees the pupil's whole record: the pupil is on the roll of the grant's school now (and
    /// in the grant's years or forms there).
    static func sees(_ grant: RoleGrant, _ pupil: PupilPlacement) -> Bool {
        let atSchool = grant.school.map(pupil.currentSchools.contains) == true
        switch grant.role {
        case .educationLead: return true
        case .governor, .schoolImprovementAdviser, .patrol, .teacher:
            return false  // aggregate figures only, or none, or a class list: never a pupil's record
        case .parent: return grant.child == pupil.upn
        case .mentor: return atSchool && grant.child == pupil.upn
        case .educationSocialWorker, .headTeacher, .seniorManagement, .attendanceAdministrator:
            return atSchool
        case .headOfYear:
            return atSchool && grant.yearGroups.contains(pupil.yearGroup)
        case .formTutor:
            return atSchool && grant.registrationGroups.contains(pupil.registrationGroup)
        }
    }

    /// Whether the grant sees what a school the pupil has left recorded. Only whole-school roles: the pupil's
    /// form and year there are not kept, so a tutor or head of year cannot be matched to them.
    static func seesFormerly(_ grant: RoleGrant, _ pupil: PupilPlacement) -> Bool {
        guard [.educationSocialWorker, .headTeacher, .seniorManagement, .attendanceAdministrator].contains(grant.role)
        else { return false }
        return grant.school.map(pupil.formerSchools.contains) == true
    }

    /// How much of the pupil's record the grants see.
    public static func view(_ grants: [RoleGrant], _ pupil: PupilPlacement) -> PupilView {
        let seeing = grants.filter { sees($0, pupil) }
        if seeing.contains(where: { $0.role != .parent }) { return .full }
        if !seeing.isEmpty { return .parent }
        let former = Set(grants.filter { seesFormerly($0, pupil) }.compactMap(\.school))
        return former.isEmpty ? .none : .formerSchools(former)
    }

    /// Schools whose audit trail the grants may read; nil means every school.
    /// Whether these grants see a school's small groups (fewer than five pupils) with their figures: the people
    /// who see every pupil of the school by name anyway (its head, senior management and attendance office) and
    /// the authority. A governor, an adviser, a tutor, a head of year or another school sees them suppressed.
    public static func seesSmallGroups(_ grants: [RoleGrant], of school: LAESTAB) -> Bool {
        grants.contains {
            $0.role == .educationLead
                || ($0.school == school
                    && [.headTeacher, .seniorManagement, .attendanceAdministrator].contains($0.role))
        }
    }

    public static func auditableSchools(_ grants: [RoleGrant]) -> Set<LAESTAB>? {
        if grants.contains(where: { $0.role == .educationLead }) { return nil }
        return Set(grants.filter { $0.role == .headTeacher }.compactMap(\.school))
    }

    /// Whether these grants may manage a user holding `other`: the education lead anyone, a head teacher
    /// someone whose every role is one of the school roles they give (`schoolRoles`) at their own school. An
    /// authority's role (an education social worker covering the school, the lead, a patrol) is the lead's to
    /// manage, even when its grant names the head's school.
    public static func mayManage(_ grants: [RoleGrant], user other: [RoleGrant]) -> Bool {
        if grants.contains(where: { $0.role == .educationLead }) { return true }
        return !other.isEmpty && other.allSatisfy { mayGrant(grants, $0) }
    }

    /// The roles a head teacher gives at their own school; the authority's roles (the education lead, education
    /// social workers), another head and parents are given by the education lead.
    public static let schoolRoles: [Role] = [
        .seniorManagement, .attendanceAdministrator, .headOfYear, .formTutor, .teacher, .governor,
    ]

    /// Whether these grants may give (or take away) `grant`: the education lead any role; a head teacher a school
    /// role at their own school.
    public static func mayGrant(_ grants: [RoleGrant], _ grant: RoleGrant) -> Bool {
        if grants.contains(where: { $0.role == .educationLead }) { return true }
        let schools = Set(grants.filter { $0.role == .headTeacher }.compactMap(\.school))
        return schoolRoles.contains(grant.role) && grant.school.map(schools.contains) == true
    }

    /// Schools whose aggregate figures the grants may see; nil means every school.
    public static func visibleSchools(_ grants: [RoleGrant]) -> Set<LAESTAB>? {
        if grants.contains(where: { $0.role == .educationLead }) { return nil }
        return Set(grants.filter { ![.parent, .mentor, .teacher].contains($0.role) }.compactMap(\.school))
    }

    /// Whether every grant that lets these grants see a pupil is a mentor's: they see the pupil's attendance,
    /// timeline and contacts, and none of the school's casework (ESW cases, letters, medical evidence).
    public static func seesAsMentorOnly(_ grants: [RoleGrant], _ pupil: PupilPlacement) -> Bool {
        let seeing = grants.filter { sees($0, pupil) }
        return !seeing.isEmpty && seeing.allSatisfy { $0.role == .mentor }
    }

    /// Whether every grant that lets these grants see a pupil is a parent's: they get the parent's view.
    public static func seesAsParentOnly(_ grants: [RoleGrant], _ pupil: PupilPlacement) -> Bool {
        let seeing = grants.filter { sees($0, pupil) }
        return !seeing.isEmpty && seeing.allSatisfy { $0.role == .parent }
    }
}
