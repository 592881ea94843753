import Testing

@testable import AttendanceCore

@Suite struct AccessPolicyTests {
    static let school = LAESTAB(la: 665, estab: 4001)
    static let other = LAESTAB(la: 665, estab: 2001)
    static let child = UPN.make(la: 665, estab: 4001, year: 26, serial: 1)

    static func pupil(_ upn: UPN = child, at school: LAESTAB = school, year: String = "7", group: String = "7A")
        -> AccessTarget
    {
        .pupil(
            PupilPlacement(
                upn: upn, enrolments: [Enrolment(school: school, onRollFrom: day("2026-09-01"))], yearGroup: year,
                registrationGroup: group, asOf: day("2026-11-25")))
    }

    static let sibling = UPN.make(la: 665, estab: 4001, year: 26, serial: 2)

    static func group(_ name: String, years: Set<String> = ["7"]) -> AccessTarget {
        .registrationGroup(GroupPlacement(school: school, group: name, yearGroups: years))
    }

    @Test(arguments: [
        // grant, permission, target, allowed
        (RoleGrant(role: .educationLead), Permission.viewAuthority, AccessTarget.none, true),
        (RoleGrant(role: .headTeacher, school: school), .viewAuthority, .none, false),
        (RoleGrant(role: .educationLead), .viewPupil, pupil(at: other), true),
        (RoleGrant(role: .headTeacher, school: school), .viewPupil, pupil(), true),
        (RoleGrant(role: .headTeacher, school: school), .viewPupil, pupil(at: other), false),
        (RoleGrant(role: .attendanceAdministrator, school: school), .viewPupil, pupil(year: "11", group: "11C"), true),
        (RoleGrant(role: .headOfYear, school: school, yearGroups: ["7", "8"]), .viewPupil, pupil(), true),
        (
            RoleGrant(role: .headOfYear, school: school, yearGroups: ["7", "8"]), .viewPupil,
            pupil(year: "9", group: "9A"), false
        ),
        (RoleGrant(role: .headOfYear, school: other, yearGroups: ["7"]), .viewPupil, pupil(), false),
        (RoleGrant(role: .formTutor, school: school, registrationGroups: ["7A"]), .viewPupil, pupil(), true),
        (
            RoleGrant(role: .formTutor, school: school, registrationGroups: ["7A"]), .viewPupil, pupil(group: "7B"),
            false
        ),
        (RoleGrant(role: .governor, school: school), .viewPupil, pupil(), false),
        (RoleGrant(role: .governor, school: school), .viewSchoolFigures, .school(school), true),
        (RoleGrant(role: .governor, school: school), .viewSchoolFigures, .school(other), false),
        (RoleGrant(role: .parent, child: child), .viewPupil, pupil(), true),
        (RoleGrant(role: .parent, child: child), .viewPupil, pupil(sibling), false),
        (RoleGrant(role: .parent, child: child), .viewSchoolFigures, .school(school), false),
        (RoleGrant(role: .educationSocialWorker, school: school), .viewPupil, pupil(), true),
        (RoleGrant(role: .educationSocialWorker, school: school), .viewPupil, pupil(at: other), false),
        (RoleGrant(role: .headTeacher, school: school), .viewAudit, .none, true),
        (RoleGrant(role: .seniorManagement, school: school), .viewAudit, .none, false),
        (RoleGrant(role: .parent, child: child), .signedIn, .none, true),
        (RoleGrant(role: .formTutor, school: school, registrationGroups: ["7A"]), .takeRegister, group("7A"), true),
        (RoleGrant(role: .formTutor, school: school, registrationGroups: ["7A"]), .takeRegister, group("7B"), false),
        (RoleGrant(role: .formTutor, school: other, registrationGroups: ["7A"]), .takeRegister, group("7A"), false),
        (RoleGrant(role: .attendanceAdministrator, school: school), .takeRegister, group("9C", years: ["9"]), true),
        (RoleGrant(role: .headOfYear, school: school, yearGroups: ["7"]), .takeRegister, group("7A"), false),
        (RoleGrant(role: .headOfYear, school: school, yearGroups: ["7"]), .viewRegister, group("7A"), true),
        (
            RoleGrant(role: .headOfYear, school: school, yearGroups: ["7"]), .viewRegister, group("8A", years: ["8"]),
            false
        ),
        (RoleGrant(role: .educationLead), .viewRegister, group("7A"), true),
        (RoleGrant(role: .educationLead), .takeRegister, group("7A"), false),
        (RoleGrant(role: .governor, school: school), .viewRegister, group("7A"), false),
        (RoleGrant(role: .attendanceAdministrator, school: school), .manageAttendance, .school(school), true),
        (
            RoleGrant(role: .formTutor, school: school, registrationGroups: ["7A"]), .manageAttendance, .school(school),
            false
        ),
        (RoleGrant(role: .headTeacher, school: school), .authoriseAbsence, .school(school), true),
        (RoleGrant(role: .seniorManagement, school: school), .authoriseAbsence, .school(school), false),
        (RoleGrant(role: .attendanceAdministrator, school: school), .authoriseAbsence, .school(school), false),
        // A member of the office or senior management the head has named decides authorised absence too …
        (
            RoleGrant(role: .attendanceAdministrator, school: school, authorisesAbsence: true), .authoriseAbsence,
            .school(school), true
        ),
        (
            RoleGrant(role: .seniorManagement, school: school, authorisesAbsence: true), .authoriseAbsence,
            .school(other), false
        ),
        // … but never a penalty notice, and nobody else can be named.
        (
            RoleGrant(role: .attendanceAdministrator, school: school, authorisesAbsence: true), .decidePenalty,
            .school(school), false
        ),
        (RoleGrant(role: .headTeacher, school: school), .decidePenalty, .school(school), true),
        (
            RoleGrant(role: .formTutor, school: school, registrationGroups: ["7A"], authorisesAbsence: true),
            .authoriseAbsence, .school(school), false
        ),
        (RoleGrant(role: .educationLead), .authoriseAbsence, .school(school), false),
        // Referrals: the lead for every school, a senior ESW for their own schools, no other ESW.
        (RoleGrant(role: .educationLead), .allocateReferrals, .school(other), true),
        (RoleGrant(role: .educationSocialWorker, school: school), .allocateReferrals, .school(school), false),
        (
            RoleGrant(role: .educationSocialWorker, school: school, allocatesReferrals: true), .allocateReferrals,
            .school(school), true
        ),
        (
            RoleGrant(role: .educationSocialWorker, school: school, allocatesReferrals: true), .allocateReferrals,
            .school(other), false
        ),
        (RoleGrant(role: .headTeacher, school: school, allocatesReferrals: true), .allocateReferrals, .none, false),
        // The Community Paediatrician: the school's office, leaders and ESW; not a head of year, nor elsewhere.
        (RoleGrant(role: .educationSocialWorker, school: school), .referMedical, .school(school), true),
        (RoleGrant(role: .attendanceAdministrator, school: school), .referMedical, .school(other), false),
        (RoleGrant(role: .headOfYear, school: school, yearGroups: ["7"]), .referMedical, .school(school), false),
    ])
    func oneGrant(grant: RoleGrant, permission: Permission, target: AccessTarget, allowed: Bool) {
        #expect(AccessPolicy.allows([grant], permission, target) == allowed)
    }

    @Test func nobodyWithoutARoleGetsInAndAnyoneMeansAnyone() {
        #expect(!AccessPolicy.allows([], .signedIn, .none))
        #expect(AccessPolicy.allows([], .anyone, .none))
        #expect(!AccessPolicy.allows([], .viewPupil, Self.pupil()))
    }

    @Test func severalRolesAddUpAndAParentWhoIsAlsoStaffGetsTheStaffView() {
        let grants = [
            RoleGrant(role: .parent, child: Self.child),
            RoleGrant(role: .formTutor, school: Self.school, registrationGroups: ["7B"]),
        ]
        guard case .pupil(let placement) = Self.pupil(),
            case .pupil(let tutees) = Self.pupil(Self.sibling, group: "7B")
        else {
            Issue.record("the fixture is not a pupil target")
            return
        }
        #expect(AccessPolicy.allows(grants, .viewPupil, .pupil(placement)))
        #expect(AccessPolicy.allows(grants, .viewPupil, .pupil(tutees)))
        #expect(AccessPolicy.seesAsParentOnly(grants, placement))
        #expect(!AccessPolicy.seesAsParentOnly(grants, tutees))
        #expect(AccessPolicy.visibleSchools(grants) == [Self.school])
        #expect(AccessPolicy.auditableSchools(grants) == [])
        #expect(AccessPolicy.auditableSchools([RoleGrant(role: .educationLead)]) == nil)
    }

    @Test func whoManagesWhom() {
        let head = [RoleGrant(role: .headTeacher, school: Self.school)]
        #expect(
            AccessPolicy.mayManage(
                head, user: [RoleGrant(role: .formTutor, school: Self.school, registrationGroups: ["7A"])]))
        #expect(
            !AccessPolicy.mayManage(
                head, user: [RoleGrant(role: .formTutor, school: Self.other, registrationGroups: ["7A"])]))
        #expect(
            !AccessPolicy.mayManage(
                head,
                user: [
                    RoleGrant(role: .governor, school: Self.school), RoleGrant(role: .governor, school: Self.other),
                ]))
        #expect(!AccessPolicy.mayManage(head, user: [RoleGrant(role: .educationLead)]))
        // An authority's role naming the head's school is still the lead's to manage (issue 30, finding 8).
        #expect(!AccessPolicy.mayManage(head, user: [RoleGrant(role: .educationSocialWorker, school: Self.school)]))
        #expect(!AccessPolicy.mayManage(head, user: [RoleGrant(role: .headTeacher, school: Self.school)]))
        #expect(!AccessPolicy.mayManage(head, user: [RoleGrant(role: .parent, child: Self.child)]))
        #expect(
            AccessPolicy.mayManage(
                [RoleGrant(role: .educationLead)], user: [RoleGrant(role: .parent, child: Self.child)]))
        #expect(AccessPolicy.allows(head, .manageUsers, .none))
        #expect(!AccessPolicy.allows([RoleGrant(role: .seniorManagement, school: Self.school)], .manageUsers, .none))
    }

    /// Names of penalty cases and their packs: the school's leaders, office and ESW, and the lead; never a governor,
    /// and a parent's grant adds nothing to a governor's (grants are judged one by one; issue 30, finding 3).
    @Test func penaltyNamesAreForTheSchoolsLeadersAndTheAuthorityAlone() {
        let target = AccessTarget.school(Self.school)
        for role in [Role.headTeacher, .seniorManagement, .attendanceAdministrator, .educationSocialWorker] {
            #expect(AccessPolicy.allows([RoleGrant(role: role, school: Self.school)], .viewPenaltyCases, target))
            #expect(!AccessPolicy.allows([RoleGrant(role: role, school: Self.other)], .viewPenaltyCases, target))
        }
        #expect(AccessPolicy.allows([RoleGrant(role: .educationLead)], .viewPenaltyCases, target))
        let governorAndParent = [
            RoleGrant(role: .governor, school: Self.school), RoleGrant(role: .parent, child: Self.child),
        ]
        #expect(AccessPolicy.allows(governorAndParent, .viewPenalties, target))
        #expect(!AccessPolicy.allows(governorAndParent, .viewPenaltyCases, target))
        for role in [Role.formTutor, .headOfYear, .patrol] {
            let grant = role == .patrol ? RoleGrant(role: role) : RoleGrant(role: role, school: Self.school)
            #expect(!AccessPolicy.allows([grant], .viewPenaltyCases, target), "\(role)")
        }
    }

    @Test func grantsMustNameTheirScope() {
        #expect(throws: RoleGrant.Problem.needsSchool(.headTeacher)) { try RoleGrant(role: .headTeacher).validate() }
        #expect(throws: RoleGrant.Problem.needsYears) {
            try RoleGrant(role: .headOfYear, school: Self.school).validate()
        }
        #expect(throws: RoleGrant.Problem.needsGroups) {
            try RoleGrant(role: .formTutor, school: Self.school).validate()
        }
        #expect(throws: RoleGrant.Problem.needsChild) { try RoleGrant(role: .parent).validate() }
        #expect(throws: Never.self) { try RoleGrant(role: .educationLead).validate() }
    }

    /// A pupil who left `school` on 31 October and joined `other` on 1 November, in form 7A at both.
    static let mover = PupilPlacement(
        upn: child,
        enrolments: [
            Enrolment(school: school, onRollFrom: day("2026-09-01"), onRollTo: day("2026-10-31")),
            Enrolment(school: other, onRollFrom: day("2026-11-01")),
        ], yearGroup: "7", registrationGroup: "7A", asOf: day("2026-11-25"))

    @Test(arguments: [
        (RoleGrant(role: .headTeacher, school: school), PupilView.formerSchools([school])),
        (RoleGrant(role: .attendanceAdministrator, school: school), .formerSchools([school])),
        (RoleGrant(role: .educationSocialWorker, school: school), .formerSchools([school])),
        // The form's name is the new school's: a tutor of a 7A at the old school is nobody's tutor here.
        (RoleGrant(role: .formTutor, school: school, registrationGroups: ["7A"]), .none),
        (RoleGrant(role: .headOfYear, school: school, yearGroups: ["7"]), .none),
        (RoleGrant(role: .governor, school: school), .none),
        (RoleGrant(role: .headTeacher, school: other), .full),
        (RoleGrant(role: .formTutor, school: other, registrationGroups: ["7A"]), .full),
        (RoleGrant(role: .educationLead), .full),
        (RoleGrant(role: .parent, child: child), .parent),
    ])
    func aFormerSchoolSeesOnlyItsOwnPartReadOnly(grant: RoleGrant, view: PupilView) {
        #expect(AccessPolicy.view([grant], Self.mover) == view)
        #expect(AccessPolicy.allows([grant], .viewPupil, .pupil(Self.mover)) == (view != .none))
        #expect(Self.mover.currentSchools == [Self.other] && Self.mover.formerSchools == [Self.school])
    }

    @Test func onTheLastDayOnRollTheSchoolIsStillCurrent() {
        let leaving = PupilPlacement(
            upn: Self.child,
            enrolments: [Enrolment(school: Self.school, onRollFrom: day("2026-09-01"), onRollTo: day("2026-11-25"))],
            yearGroup: "7", registrationGroup: "7A", asOf: day("2026-11-25"))
        #expect(
            AccessPolicy.view([RoleGrant(role: .formTutor, school: Self.school, registrationGroups: ["7A"])], leaving)
                == .full)
    }
}
