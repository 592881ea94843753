import AttendanceAccounts
import AttendanceCore
import AttendanceInterop
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Every route × every role × a target in and out of the role's scope. The expectations are written out
/// here by hand from DOMAIN.md section 1, not derived from the policy they test.
@Suite struct RouteAccessTests {
    /// The pupils the matrix asks about.
    struct Pupils {
        let child: UPN  // in the form tutor's form; the demo parent's child
        let yearEight: UPN  // in the head of year's years, not in the tutor's form
        let yearEleven: UPN  // at the main school, outside the head of year's years
        let elsewhere: UPN  // at a school no school-level role here covers

        init(store: Store) async throws {
            let parent = try await store.identity.user(email: "parent@demo.example")!
            child = parent.grants[0].child!
            let year = DateRange(testToday.academicYear.firstDay, testToday)!
            let main = try await store.reference.roll(
                of: try await store.reference.requireSchool(mainSchool).id, in: year
            )
            .filter { $0.onRoll.end == testToday }
            yearEight = main.first { $0.pupil.yearGroup == "8" }!.pupil.upn
            yearEleven = main.first { $0.pupil.yearGroup == "11" }!.pupil.upn
            elsewhere = try await store.reference.roll(
                of: try await store.reference.requireSchool(otherSchool).id, in: year)[0].pupil.upn
        }
    }

    enum Subject: CaseIterable {
        case child, yearEight, yearEleven, elsewhere
        /// Left the main school on 6 November for the other school, into a form named like the tutor's.
        case leaver
    }

    static let staffAtMain: Set<Role> = [.headTeacher, .seniorManagement, .attendanceAdministrator]

    /// Who may see each pupil, by hand.
    static func mayViewPupil(_ role: Role, _ subject: Subject) -> Bool {
        switch (role, subject) {
        case (.educationLead, _): return true
        case (.governor, _), (.schoolImprovementAdviser, _): return false
        case (.parent, .child), (.mentor, .child): return true
        case (.parent, _), (.mentor, _): return false  // a mentor sees their mentee alone
        case (.formTutor, .child): return true
        case (.formTutor, _): return false
        case (.headOfYear, .child), (.headOfYear, .yearEight): return true  // the child is in Year 7
        case (.headOfYear, _): return false
        case (.educationSocialWorker, .elsewhere): return false
        case (.educationSocialWorker, _): return true
        case (_, .elsewhere): return false
        default: return staffAtMain.contains(role)  // the leaver too: their former school reads its own part
        }
    }

    /// Who may write to a pupil's parents from the main school (produce a letter by hand), by hand.
    static func mayWriteFor(_ role: Role, _ subject: Subject) -> Bool {
        switch subject {
        case .leaver, .elsewhere: return false  // the school they are at now writes, not this one
        case .child, .yearEight:
            return staffAtMain.contains(role) || [.headOfYear, .educationSocialWorker].contains(role)
        case .yearEleven: return staffAtMain.contains(role) || role == .educationSocialWorker
        }
    }

    /// Who may see each school's aggregate figures, by hand.
    static func mayViewSchool(_ role: Role, _ school: LAESTAB) -> Bool {
        switch role {
        case .educationLead: return true
        case .parent, .patrol, .mentor, .teacher: return false
        // The ESW and the adviser cover the main school and the allocated one.
        case .educationSocialWorker, .schoolImprovementAdviser: return school != otherSchool
        default: return school == mainSchool
        }
    }

    /// Who may report an absence or ask for leave for a pupil, by hand: their parent, and the office and leaders of
    /// the school they are on the roll of now (entering a parent's form).
    static func mayRequestFor(_ role: Role, _ subject: Subject) -> Bool {
        switch subject {
        case .child: return role == .parent || staffAtMain.contains(role)
        case .yearEight, .yearEleven: return staffAtMain.contains(role)
        case .elsewhere, .leaver: return false
        }
    }

    /// Who records a school's interventions, by hand: its leaders, office and head of year, and its ESW (who also
    /// covers the allocated school).
    static func mayIntervene(_ role: Role, _ school: LAESTAB) -> Bool {
        if role == .educationSocialWorker { return school != otherSchool }
        return school == mainSchool
            && [.headTeacher, .seniorManagement, .attendanceAdministrator, .headOfYear].contains(role)
    }

    /// Who imports and makes a school's transfer files, by hand: its office and leaders, and the education lead.
    static func mayTransfer(_ role: Role, _ school: LAESTAB) -> Bool {
        role == .educationLead || (school == mainSchool && office.contains(role))
    }

    static let mayAudit: Set<Role> = [.educationLead, .headTeacher]
    static let office: Set<Role> = [.attendanceAdministrator, .seniorManagement, .headTeacher]
    /// Who works the main school's queue, by hand.
    static let queue: Set<Role> = office.union([.headOfYear, .educationSocialWorker])

    /// Registers: the tutor's own form, another form at the main school, and a form at another school.
    enum Form: CaseIterable {
        case tutors, otherAtMain, elsewhere
    }

    static func mayTake(_ role: Role, _ form: Form) -> Bool {
        switch form {
        case .tutors: return role == .formTutor || office.contains(role)
        case .otherAtMain: return office.contains(role)
        case .elsewhere: return false
        }
    }

    /// Lesson registers: the demo teacher's own lesson today, another teacher's lesson at the main school, another
    /// teacher's lesson yesterday that the demo teacher was named to cover, and a lesson the other school does not
    /// have.
    enum Lesson: CaseIterable {
        case own, otherAtMain, covered, elsewhere
    }

    static func mayTakeLesson(_ role: Role, _ lesson: Lesson) -> Bool {
        switch lesson {
        case .own, .covered: return role == .teacher || office.contains(role)
        case .otherAtMain: return office.contains(role)
        case .elsewhere: return false
        }
    }

    static func mayViewRegister(_ role: Role, _ form: Form, formYear: String) -> Bool {
        switch (role, form) {
        case (.educationLead, _): return true
        case (_, .elsewhere): return false
        case (.formTutor, .tutors): return true
        case (.headOfYear, _): return ["7", "8"].contains(formYear)
        case (.educationSocialWorker, _): return true
        default: return office.contains(role)
        }
    }

    /// Every route, GET and POST, for every role, with targets in and out of scope. A POST is sent with a form
    /// that changes nothing when allowed (a missing field, an unknown id) so the answer shows only the decision:
    /// 403 when refused, anything else but a 5xx when allowed.
    @Test func everyRouteIsCoveredForEveryRoleInAndOutOfScope() async throws {
        try await withWebApp { app, store in
            let pupils = try await Pupils(store: store)
            let tutorForm = try await store.identity.user(email: "tutor@demo.example")!.grants[0].registrationGroups[0]
            let year = DateRange(testToday, testToday)!
            let mainRoll = try await store.reference.roll(
                of: try await store.reference.requireSchool(mainSchool).id, in: year)
            let otherForm = mainRoll.first { $0.pupil.yearGroup == "11" }!.pupil.registrationGroup
            let elsewhereForm = try await store.reference.roll(
                of: try await store.reference.requireSchool(otherSchool).id, in: year)[0]
                .pupil.registrationGroup
            let forms: [Form: (LAESTAB, String, String)] = [
                .tutors: (mainSchool, tutorForm, "7"), .otherAtMain: (mainSchool, otherForm, "11"),
                .elsewhere: (otherSchool, elsewhereForm, "1"),
            ]
            let leaver = try #require(mainRoll.first { $0.pupil.yearGroup == "10" }).pupil.upn
            try await AttackFindingsTests.move(
                leaver, store, leaving: LocalDate(iso: "2026-11-06")!, to: otherSchool, group: tutorForm, year: "7")
            func upn(_ subject: Subject) -> UPN {
                switch subject {
                case .child: return pupils.child
                case .yearEight: return pupils.yearEight
                case .yearEleven: return pupils.yearEleven
                case .elsewhere: return pupils.elsewhere
                case .leaver: return leaver
                }
            }
            // Letters to open: the office's batch from the queue, before anyone else works it.
            try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
            var desk = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await desk.get("/schools/\(mainSchool)/actions")
            let (officeJob, location) = try await desk.produceDueLettersAsJob()
            let batch = String(location.split(separator: "?")[0].split(separator: "/").last!)
            let letters = try await store.letters.letters(batch: batch, school: mainSchool)
            var yearOf: [UPN: String] = [:]
            for letter in letters { yearOf[letter.upn] = try await store.reference.pupil(letter.upn)?.pupil.yearGroup }
            let hoyYears: Set<String> = ["7", "8"]
            let inYears = letters.first { hoyYears.contains(yearOf[$0.upn] ?? "") }
            let outside = letters.first { !hoyYears.contains(yearOf[$0.upn] ?? "") }
            try #require(outside != nil, "the batch has a letter outside the head of year's years")
            let batchPDF = try await store.letters.batchPDF(batch, school: mainSchool) != nil
            // A request for leave to decide: the decision below is sent with no body, so it changes nothing.
            let leave = try await store.leave.requestLeave(
                for: pupils.child, dates: DateRange(LocalDate(iso: "2026-12-01")!, LocalDate(iso: "2026-12-02")!)!,
                reason: "A wedding", category: nil, details: "", siblings: "", today: nil,
                by: AuditActor("parent@demo.example"))
            // An authority's account whose grant names the main school (an ESW covering it): the lead's to manage,
            // never the head's.
            try await store.identity.createUser(
                email: "covering-esw@example.org", displayName: "Covering ESW",
                passwordHash: try testPasswords.hash("not-used"), mustChangePassword: false,
                grants: [RoleGrant(role: .educationSocialWorker, school: mainSchool)], by: AuditActor("test"))
            let coveringESW = try #require(try await store.identity.user(email: "covering-esw@example.org")).id
            // Lessons: the demo teacher's first today, another's, and yesterday's lesson of another that the demo
            // teacher covers.
            let todays = try await store.lessons.lessonsOfDay(school: mainSchool, on: testToday)
            let yesterday = LocalDate(iso: "2026-11-24")!
            let coveredLesson = try #require(
                try await store.lessons.lessonsOfDay(school: mainSchool, on: yesterday).first {
                    $0.lesson.teacher != DemoTimetable.teacher
                })
            try await store.lessons.assignCover(
                school: mainSchool, lessonID: coveredLesson.id, on: yesterday, teacher: DemoTimetable.teacher,
                by: AuditActor("test"))
            let lessons: [Lesson: String] = [
                .own: SiteURL.lessonRegister(
                    mainSchool, date: testToday,
                    id: try #require(todays.first { $0.lesson.teacher == DemoTimetable.teacher }).id),
                .otherAtMain: SiteURL.lessonRegister(
                    mainSchool, date: testToday,
                    id: try #require(todays.first { $0.lesson.teacher != DemoTimetable.teacher }).id),
                .covered: SiteURL.lessonRegister(mainSchool, date: yesterday, id: coveredLesson.id),
                .elsewhere: SiteURL.lessonRegister(otherSchool, date: testToday, id: 999_999),
            ]
            // Path patterns the matrix covers: a new route with no row here fails the test.
            var covered = Set<String>()
            // Every request each role sent, with the answer expected: a person with two roles is checked against them.
            var walked: [Role: [WalkedRow]] = [:]
            for role in Role.allCases {
                var browser = try await Browser.signedIn(app, as: role)
                func expect(
                    _ method: String, _ pattern: String, _ path: String, allowed: Bool, form: [String: String] = [:],
                    status: HTTPStatus? = nil
                ) async throws {
                    covered.insert("\(method) \(pattern)")
                    walked[role, default: []].append(
                        WalkedRow(method: method, path: path, form: form, status: status, allowed: allowed))
                    let response =
                        method == "GET" ? try await browser.get(path) : try await browser.post(path, form)
                    if let status, allowed {
                        #expect(response.status == status, "\(role) \(method) \(path)")
                    } else if method == "GET" {
                        #expect(response.status == (allowed ? .ok : .forbidden), "\(role) GET \(path)")
                    } else {
                        #expect(
                            allowed ? response.status != .forbidden : response.status == .forbidden,
                            "\(role) POST \(path): \(response.status)")
                    }
                    #expect(response.status.code < 500, "\(role) \(method) \(path): \(response.status)")
                    // A refused page says so (a form refused by its page's own rule says who may, instead).
                    if !allowed && method == "GET" && !path.hasPrefix("/api/") {
                        #expect(response.body.string.contains("You do not have permission"), "\(role) GET \(path)")
                    }
                }
                try await expect("GET", "/health", "/health", allowed: true)
                try await expect("GET", "/ready", "/ready", allowed: true)
                // Metrics answer only the monitoring system's addresses: a request in memory has none.
                try await expect("GET", "/metrics", "/metrics", allowed: true, status: .notFound)
                try await expect("GET", "/openapi.json", "/openapi.json", allowed: true)
                try await expect("GET", "/sign-in", "/sign-in", allowed: true)
                // A patrol's home is the patrols page: the day's entries and the form to log one.
                try await expect("GET", "/", "/", allowed: true, status: role == .patrol ? .seeOther : nil)
                try await expect("GET", "/account", "/account", allowed: true)
                try await expect("GET", "/account/password", "/account/password", allowed: true)
                try await expect("POST", "/account/password", "/account/password", allowed: true)
                // API tokens are for staff's systems; a parent is never offered one.
                try await expect("POST", "/account/tokens", "/account/tokens", allowed: role != .parent)
                try await expect("POST", "/account/tokens/:id/revoke", "/account/tokens/999999/revoke", allowed: true)
                for school in [mainSchool, allocatedSchool, otherSchool] {
                    let allowed = Self.mayViewSchool(role, school)
                    try await expect("GET", "/schools/:laestab", "/schools/\(school)", allowed: allowed)
                    try await expect(
                        "GET", "/api/schools/:laestab/summary", "/api/schools/\(school)/summary", allowed: allowed)
                    try await expect(
                        "GET", "/api/schools/:laestab/groups", "/api/schools/\(school)/groups", allowed: allowed)
                    // The group analysis: whoever sees the school's figures (small groups hidden from most).
                    try await expect("GET", "/schools/:laestab/groups", "/schools/\(school)/groups", allowed: allowed)
                    try await expect(
                        "GET", "/schools/:laestab/groups.csv", "/schools/\(school)/groups.csv", allowed: allowed)
                    try await expect(
                        "GET", "/schools/:laestab/compare", "/schools/\(school)/compare", allowed: allowed)
                    try await expect(
                        "GET", "/schools/:laestab/newsletter", "/schools/\(school)/newsletter", allowed: allowed)
                    try await expect(
                        "GET", "/schools/:laestab/figures.csv", "/schools/\(school)/figures.csv", allowed: allowed)
                    // The authority's concerns: the school's people read them; its head alone answers (sent empty:
                    // refused, 422).
                    try await expect(
                        "GET", "/schools/:laestab/concerns", "/schools/\(school)/concerns", allowed: allowed)
                    try await expect(
                        "POST", "/schools/:laestab/concerns/:id/answer", "/schools/\(school)/concerns/999999/answer",
                        allowed: role == .headTeacher && school == mainSchool, status: .unprocessableEntity)
                    // Interventions: sent empty, a form is refused naming its field (422); an unknown one is 404.
                    let intervenes = Self.mayIntervene(role, school)
                    let interventions = "/schools/\(school)/interventions"
                    try await expect("GET", "/schools/:laestab/interventions", interventions, allowed: intervenes)
                    try await expect(
                        "POST", "/schools/:laestab/interventions", interventions, allowed: intervenes,
                        status: .unprocessableEntity)
                    try await expect(
                        "GET", "/schools/:laestab/interventions/:id", interventions + "/999999", allowed: intervenes,
                        status: .notFound)
                    try await expect(
                        "POST", "/schools/:laestab/interventions/:id/sessions", interventions + "/999999/sessions",
                        allowed: intervenes, status: .unprocessableEntity)
                    try await expect(
                        "POST", "/schools/:laestab/interventions/:id/end", interventions + "/999999/end",
                        allowed: intervenes, status: .unprocessableEntity)
                    try await expect(
                        "POST", "/schools/:laestab/interventions/:id/certificates",
                        interventions + "/999999/certificates", allowed: intervenes, status: .notFound)
                    try await expect(
                        "POST", "/schools/:laestab/interventions/workshop-programme",
                        interventions + "/workshop-programme", allowed: intervenes, status: .unprocessableEntity)
                    try await expect(
                        "GET", "/schools/:laestab/parents-evening", "/schools/\(school)/parents-evening",
                        allowed: intervenes)
                    try await expect(
                        "POST", "/schools/:laestab/parents-evening", "/schools/\(school)/parents-evening",
                        allowed: intervenes, status: .unprocessableEntity)
                    // Transfer files: sent with no file, the upload is refused on its own page (422); only the
                    // office and leaders confirm an admission (sent empty: refused naming the field).
                    let transfers = "/schools/\(school)/transfers"
                    try await expect(
                        "GET", "/schools/:laestab/transfers", transfers, allowed: Self.mayTransfer(role, school))
                    try await expect(
                        "POST", "/schools/:laestab/transfers", transfers, allowed: Self.mayTransfer(role, school),
                        status: .unprocessableEntity)
                    try await expect(
                        "POST", "/schools/:laestab/transfers/admissions/:id", transfers + "/admissions/999999",
                        allowed: school == mainSchool && Self.office.contains(role), status: .unprocessableEntity)
                    try await expect(
                        "GET", "/schools/:laestab/transfers/files/:id", transfers + "/files/999999",
                        allowed: Self.mayTransfer(role, school), status: .notFound)
                    try await expect(
                        "POST", "/schools/:laestab/transfers/files/:id/sent", transfers + "/files/999999/sent",
                        allowed: Self.mayTransfer(role, school), status: .notFound)
                    try await expect(
                        "GET", "/schools/:laestab/newsletter.svg", "/schools/\(school)/newsletter.svg", allowed: allowed
                    )
                    try await expect(
                        "GET", "/schools/:laestab/governors-report", "/schools/\(school)/governors-report",
                        allowed: allowed)
                    try await expect(
                        "GET", "/schools/:laestab/governors-report.pdf", "/schools/\(school)/governors-report.pdf",
                        allowed: allowed)
                }
                for subject in Subject.allCases {
                    let allowed = Self.mayViewPupil(role, subject)
                    try await expect("GET", "/pupils/:upn", "/pupils/\(upn(subject))", allowed: allowed)
                    // Everything held about the pupil: the head of a school they are at, and the authority.
                    try await expect(
                        "GET", "/pupils/:upn/subject-access.zip", "/pupils/\(upn(subject))/subject-access.zip",
                        allowed: role == .educationLead
                            || (role == .headTeacher && [.child, .yearEight, .yearEleven].contains(subject)))
                    try await expect(
                        "GET", "/api/pupils/:upn/summary", "/api/pupils/\(upn(subject))/summary", allowed: allowed)
                    try await expect(
                        "GET", "/api/pupils/:upn/marks", "/api/pupils/\(upn(subject))/marks", allowed: allowed)
                    let school = subject == .elsewhere ? otherSchool : mainSchool
                    // A pupil's transfer file: the school they are at or have left (sent with a new school that is
                    // not one: refused naming the field).
                    try await expect(
                        "POST", "/schools/:laestab/pupils/:upn/ctf", "/schools/\(school)/pupils/\(upn(subject))/ctf",
                        allowed: Self.mayTransfer(role, school), form: ["to": "x"], status: .unprocessableEntity)
                    try await expect(
                        "POST", "/schools/:laestab/pupils/:upn/medical-evidence",
                        "/schools/\(school)/pupils/\(upn(subject))/medical-evidence",
                        allowed: Self.office.contains(role) && [.child, .yearEight, .yearEleven].contains(subject),
                        status: .unprocessableEntity)
                    try await expect(
                        "POST", "/schools/:laestab/pupils/:upn/letters",
                        "/schools/\(school)/pupils/\(upn(subject))/letters", allowed: Self.mayWriteFor(role, subject),
                        form: ["kind": ""], status: .unprocessableEntity)
                    let asks = Self.mayRequestFor(role, subject)
                    let pupil = "/pupils/\(upn(subject))"
                    try await expect(
                        "POST", "/pupils/:upn/absence-reports", pupil + "/absence-reports", allowed: asks,
                        status: .unprocessableEntity)
                    try await expect("GET", "/pupils/:upn/leave", pupil + "/leave", allowed: asks)
                    try await expect(
                        "POST", "/pupils/:upn/leave", pupil + "/leave", allowed: asks, status: .unprocessableEntity)
                    try await expect(
                        "GET", "/pupils/:upn/letters/:id", pupil + "/letters/999999", allowed: allowed,
                        status: .notFound)
                    // A sanction: whoever records the school's interventions, a head of year for their years'
                    // pupils (a pupil who left is not found, 404).
                    try await expect(
                        "POST", "/schools/:laestab/pupils/:upn/sanctions",
                        "/schools/\(school)/pupils/\(upn(subject))/sanctions",
                        allowed: Self.mayIntervene(role, school)
                            && (subject == .leaver || role != .headOfYear || [.child, .yearEight].contains(subject)))
                    // A mentor logs meetings with their own mentee alone (sent empty: refused, 422).
                    try await expect(
                        "POST", "/pupils/:upn/mentoring", pupil + "/mentoring",
                        allowed: role == .mentor && subject == .child, status: .unprocessableEntity)
                    // A parent's own contact record only (staff keep contacts through the MIS's import).
                    try await expect(
                        "POST", "/pupils/:upn/contact-details", pupil + "/contact-details",
                        allowed: role == .parent && subject == .child, status: .unprocessableEntity)
                    try await expect(
                        "POST", "/api/pupils/:upn/absence-reports", "/api" + pupil + "/absence-reports",
                        allowed: asks, status: .unprocessableEntity)
                    try await expect(
                        "GET", "/api/pupils/:upn/leave-requests", "/api" + pupil + "/leave-requests",
                        allowed: allowed)
                    try await expect(
                        "POST", "/api/pupils/:upn/leave-requests", "/api" + pupil + "/leave-requests",
                        allowed: asks, status: .unprocessableEntity)
                }
                try await expect(
                    "POST", "/api/leave-requests/:request/decision", "/api/leave-requests/\(leave.id)/decision",
                    allowed: role == .headTeacher, status: .unprocessableEntity)
                try await expect("GET", "/audit", "/audit", allowed: Self.mayAudit.contains(role))
                try await expect("GET", "/audit.csv", "/audit.csv", allowed: Self.mayAudit.contains(role))
                try await expect("GET", "/users", "/users", allowed: Self.mayAudit.contains(role))
                // Adding a user with no role chosen is refused with the page, naming the field.
                try await expect(
                    "POST", "/users", "/users", allowed: Self.mayAudit.contains(role),
                    form: ["email": "new@example.org", "name": "New"], status: .unprocessableEntity)
                for action in ["reset", "revoke-tokens", "deactivate", "delegate", "roles", "roles/remove"] {
                    try await expect(
                        "POST", "/users/:id/\(action)", "/users/999999/\(action)",
                        allowed: Self.mayAudit.contains(role),
                        status: .notFound)
                    // The ESW covering the head's school: the lead's alone, not the head's.
                    try await expect(
                        "POST", "/users/:id/\(action)", "/users/\(coveringESW)/\(action)",
                        allowed: role == .educationLead)
                }
                let listAllowed = [.formTutor, .headOfYear].contains(role) || Self.office.contains(role)
                try await expect("GET", "/registers", "/registers", allowed: listAllowed)
                for form in Form.allCases {
                    let (school, group, year) = forms[form]!
                    let register = "/registers/\(school)/\(group)/\(testToday)/AM"
                    try await expect(
                        "GET", "/registers/:laestab/:group/:date/:session", register, allowed: Self.mayTake(role, form))
                    try await expect(
                        "POST", "/registers/:laestab/:group/:date/:session", register,
                        allowed: Self.mayTake(role, form),
                        status: .seeOther)
                    try await expect(
                        "GET", "/registers/:laestab/:group/print", "/registers/\(school)/\(group)/print",
                        allowed: Self.mayViewRegister(role, form, formYear: year))
                    try await expect(
                        "GET", "/registers/:laestab/:group/display", "/registers/\(school)/\(group)/display",
                        allowed: Self.mayViewRegister(role, form, formYear: year))
                    try await expect(
                        "GET", "/api/registers/:laestab/:group/:date/:session", "/api" + register,
                        allowed: Self.mayViewRegister(role, form, formYear: year))
                    try await expect(
                        "POST", "/api/registers/:laestab/:group/:date/:session", "/api" + register,
                        // Past the permission, a form's body is not the API's JSON (its saves are APITests').
                        allowed: Self.mayTake(role, form), status: .unprocessableEntity)
                }
                // Lesson registers: "my lessons" for teachers and the office; each register for its teacher, its
                // cover and the office. Saved empty after the lesson: the office's save is taken (nothing to write),
                // the teacher's refused (the register closed, 422). A lesson the school lacks: refused, and only the
                // authority learns it does not exist (404).
                try await expect(
                    "GET", "/lessons", "/lessons", allowed: role == .teacher || Self.office.contains(role))
                for lesson in Lesson.allCases {
                    let path = lessons[lesson]!
                    let allowed = Self.mayTakeLesson(role, lesson)
                    let unknown = lesson == .elsewhere && role == .educationLead
                    try await expect(
                        "GET", "/lessons/:laestab/:date/:lesson", path, allowed: allowed || unknown,
                        status: unknown ? .notFound : nil)
                    try await expect(
                        "POST", "/lessons/:laestab/:date/:lesson", path, allowed: allowed || unknown,
                        status: unknown ? .notFound : role == .teacher ? .unprocessableEntity : .seeOther)
                    try await expect(
                        "GET", "/api/lessons/:laestab/:date/:lesson", "/api" + path, allowed: allowed || unknown,
                        status: unknown ? .notFound : .ok)
                    try await expect(
                        "POST", "/api/lessons/:laestab/:date/:lesson", "/api" + path, allowed: allowed || unknown,
                        status: unknown ? .notFound : .unprocessableEntity)
                }
                for school in [mainSchool, otherSchool] {
                    let desk = school == mainSchool && Self.office.contains(role)
                    let base = "/schools/\(school)"
                    // The office's lessons page, cover, grace and timetable (each form sent empty: refused, 422).
                    try await expect("GET", "/schools/:laestab/lessons", base + "/lessons", allowed: desk)
                    for action in ["cover", "settings"] {
                        try await expect(
                            "POST", "/schools/:laestab/lessons/\(action)", base + "/lessons/\(action)", allowed: desk,
                            status: .unprocessableEntity)
                    }
                    try await expect("GET", "/schools/:laestab/timetable", base + "/timetable", allowed: desk)
                    try await expect(
                        "POST", "/schools/:laestab/timetable", base + "/timetable", allowed: desk,
                        status: .unprocessableEntity)
                    // The same-day check: the office and leaders, and the head of year (their years' pupils).
                    let checks = school == mainSchool && (Self.office.contains(role) || role == .headOfYear)
                    try await expect("GET", "/schools/:laestab/same-day", base + "/same-day", allowed: checks)
                    try await expect(
                        "POST", "/schools/:laestab/same-day", base + "/same-day", allowed: checks,
                        status: .unprocessableEntity)
                }
                for school in [mainSchool, otherSchool] {
                    let works = school == mainSchool && Self.queue.contains(role)
                    let head = school == mainSchool && role == .headTeacher
                    let desk = school == mainSchool && Self.office.contains(role)
                    let base = "/schools/\(school)"
                    try await expect("GET", "/schools/:laestab/actions", base + "/actions", allowed: works)
                    try await expect(
                        "POST", "/schools/:laestab/actions/:id/complete", base + "/actions/999999/complete",
                        allowed: works, status: .unprocessableEntity)
                    try await expect(
                        "POST", "/schools/:laestab/actions/:id/dismiss", base + "/actions/999999/dismiss",
                        allowed: head,
                        status: .unprocessableEntity)
                    try await expect(
                        "POST", "/schools/:laestab/actions/:id/penalty-warning",
                        base + "/actions/999999/penalty-warning",
                        allowed: head, status: .notFound)
                    try await expect("POST", "/schools/:laestab/actions/run", base + "/actions/run", allowed: desk)
                    // The year's attendance target is the head's to set (the form is sent empty: refused, 422).
                    try await expect(
                        "POST", "/schools/:laestab/target", base + "/target", allowed: head,
                        status: .unprocessableEntity)
                    // The school's own groups are made and filled by those who see every pupil (sent empty: 422;
                    // a group not named: not found).
                    try await expect(
                        "POST", "/schools/:laestab/groups", base + "/groups", allowed: desk,
                        status: .unprocessableEntity)
                    try await expect(
                        "GET", "/schools/:laestab/groups/members", base + "/groups/members", allowed: desk,
                        status: .notFound)
                    // The data check names pupils: the office, senior managers and the head run and read it.
                    try await expect("GET", "/schools/:laestab/data-check", base + "/data-check", allowed: desk)
                    try await expect(
                        "POST", "/schools/:laestab/data-check", base + "/data-check", allowed: desk, status: .seeOther)
                    try await expect(
                        "POST", "/schools/:laestab/groups/members", base + "/groups/members", allowed: desk,
                        status: .unprocessableEntity)
                    // Rewards name pupils: the same people (each form sent empty: refused, 422).
                    try await expect("GET", "/schools/:laestab/rewards", base + "/rewards", allowed: desk)
                    try await expect("GET", "/schools/:laestab/rewards.csv", base + "/rewards.csv", allowed: desk)
                    try await expect(
                        "POST", "/schools/:laestab/rewards/draws", base + "/rewards/draws", allowed: desk,
                        status: .unprocessableEntity)
                    try await expect(
                        "POST", "/schools/:laestab/rewards/certificates", base + "/rewards/certificates",
                        allowed: desk, status: .unprocessableEntity)
                    try await expect("GET", "/schools/:laestab/office", base + "/office", allowed: desk)
                    try await expect(
                        "POST", "/schools/:laestab/office/contact", base + "/office/contact", allowed: desk,
                        status: .badRequest)
                    try await expect(
                        "POST", "/schools/:laestab/office/confirm/:id", base + "/office/confirm/999999", allowed: head,
                        status: .notFound)
                    // The leave queue: the office and senior managers read it to prepare the head's decisions.
                    try await expect("GET", "/schools/:laestab/leave", base + "/leave", allowed: desk)
                    // Penalty notices: the school's leaders, office, ESW and governors (counts only) read; the
                    // head requests and withdraws.
                    let readsPenalties =
                        role == .educationLead
                        || (school == mainSchool
                            && [
                                .headTeacher, .seniorManagement, .attendanceAdministrator, .educationSocialWorker,
                                .governor,
                            ].contains(role))
                    try await expect("GET", "/schools/:laestab/penalties", base + "/penalties", allowed: readsPenalties)
                    try await expect(
                        "POST", "/schools/:laestab/penalties/:id/request", base + "/penalties/999999/request",
                        allowed: head, status: .unprocessableEntity)
                    try await expect(
                        "POST", "/schools/:laestab/penalties/:id/withdraw", base + "/penalties/999999/withdraw",
                        allowed: head, status: .notFound)
                    // ESW cases: the school's ESW and the education lead work them; the lead alone allocates or
                    // returns a referral; the office and leaders refer a pupil by hand.
                    let eswWorks = role == .educationLead || (role == .educationSocialWorker && school == mainSchool)
                    try await expect(
                        "GET", "/schools/:laestab/esw/:id", base + "/esw/999999", allowed: eswWorks, status: .notFound)
                    for action in ["attendance", "outcome"] {
                        try await expect(
                            "POST", "/schools/:laestab/esw/:id/panels/:panel/\(action)",
                            base + "/esw/999999/panels/999999/\(action)", allowed: eswWorks, status: .notFound)
                    }
                    for action in ["log", "close", "plan", "plan/review", "plan/outcome", "panels"] {
                        try await expect(
                            "POST", "/schools/:laestab/esw/:id/\(action)", base + "/esw/999999/\(action)",
                            allowed: eswWorks, status: .notFound)
                    }
                    // Matching a patrol entry by hand: the school's office and leaders.
                    try await expect(
                        "POST", "/schools/:laestab/patrols/:id/match", base + "/patrols/999999/match", allowed: desk,
                        status: .unprocessableEntity)
                    // The Community Paediatrician: the school's office and leaders, its ESW, and the lead.
                    let medicalWorks =
                        role == .educationLead
                        || (school == mainSchool
                            && [.attendanceAdministrator, .seniorManagement, .headTeacher, .educationSocialWorker]
                                .contains(role))
                    try await expect(
                        "POST", "/schools/:laestab/pupils/:upn/paediatric-referral",
                        base + "/pupils/\(UPN.make(la: 665, estab: 4001, year: 25, serial: 999))/paediatric-referral",
                        allowed: medicalWorks, status: .notFound)
                    for action in ["outcome", "reintegration-plans"] {
                        try await expect(
                            "POST", "/schools/:laestab/paediatric-referrals/:id/\(action)",
                            base + "/paediatric-referrals/999999/\(action)", allowed: medicalWorks, status: .notFound)
                    }
                    // The list for a school visit and the visit's record: the school's ESW and the lead.
                    try await expect("GET", "/schools/:laestab/esw-visits", base + "/esw-visits", allowed: eswWorks)
                    try await expect(
                        "POST", "/schools/:laestab/esw-visits", base + "/esw-visits", allowed: eswWorks,
                        status: .unprocessableEntity)
                    for action in ["allocate", "return"] {
                        try await expect(
                            "POST", "/schools/:laestab/esw/:id/\(action)", base + "/esw/999999/\(action)",
                            allowed: role == .educationLead, status: .notFound)
                    }
                    try await expect(
                        "POST", "/schools/:laestab/pupils/:upn/esw-referral",
                        base + "/pupils/\(UPN.make(la: 665, estab: 4001, year: 25, serial: 999))/esw-referral",
                        allowed: desk, status: .notFound)
                    // A pupil who has moved on: their former school neither refers them to the ESW service nor to
                    // the Community Paediatrician (the permission passes; the pupil is on no roll of this school).
                    if school == mainSchool {
                        try await expect(
                            "POST", "/schools/:laestab/pupils/:upn/esw-referral",
                            base + "/pupils/\(leaver)/esw-referral", allowed: desk, status: .notFound)
                        try await expect(
                            "POST", "/schools/:laestab/pupils/:upn/paediatric-referral",
                            base + "/pupils/\(leaver)/paediatric-referral", allowed: medicalWorks, status: .notFound)
                    }
                    // Leaving the roll and missing education: the school's office and leaders.
                    // (An unknown pupil: the take-off form is refused first, the referral finds no such pupil.)
                    for (action, status) in [
                        ("off-roll", HTTPStatus.unprocessableEntity), ("missing-education", .notFound),
                    ] {
                        try await expect(
                            "POST", "/schools/:laestab/pupils/:upn/\(action)",
                            base + "/pupils/\(UPN.make(la: 665, estab: 4001, year: 25, serial: 999))/\(action)",
                            allowed: desk, status: status)
                    }
                    // A request's evidence pack names the pupil: not for governors.
                    for part in ["pack", "pack/pdf", "pack/json"] {
                        try await expect(
                            "GET", "/schools/:laestab/penalties/:id/\(part)", base + "/penalties/999999/\(part)",
                            allowed: readsPenalties && role != .governor, status: .notFound)
                    }
                    try await expect(
                        "POST", "/schools/:laestab/leave/:id/decision", base + "/leave/999999/decision", allowed: head,
                        status: .unprocessableEntity)
                    try await expect(
                        "POST", "/schools/:laestab/office/reports/:id/confirm", base + "/office/reports/999999/confirm",
                        allowed: head, status: .notFound)
                    try await expect("GET", "/schools/:laestab/late-book", base + "/late-book", allowed: desk)
                    try await expect(
                        "POST", "/schools/:laestab/late-book", base + "/late-book", allowed: desk,
                        status: .unprocessableEntity)
                    try await expect(
                        "POST", "/schools/:laestab/messages/first-day", base + "/messages/first-day", allowed: desk,
                        status: .unprocessableEntity)
                    try await expect("POST", "/schools/:laestab/letters/due", base + "/letters/due", allowed: works)
                    // The office's job's page (done by now, so it sends the reader on to the batch).
                    try await expect(
                        "GET", "/schools/:laestab/letters/jobs/:id",
                        officeJob.replacingOccurrences(
                            of: "/schools/\(mainSchool)", with: base), allowed: works, status: .seeOther)
                    // The office's batch: a head of year sees the page (their years only) but not the whole PDF.
                    let batchPath = base + "/letters/batches/\(batch)"
                    try await expect("GET", "/schools/:laestab/letters/batches/:batch", batchPath, allowed: works)
                    let wholeBatch = works && role != .headOfYear
                    if batchPDF || !works {
                        try await expect(
                            "GET", "/schools/:laestab/letters/batches/:batch/pdf", batchPath + "/pdf",
                            allowed: wholeBatch)
                    }
                    for letter in [inYears, outside].compactMap({ $0 }) {
                        let mayOpen = works && (role != .headOfYear || hoyYears.contains(yearOf[letter.upn] ?? ""))
                        let letterPath = base + "/letters/\(letter.id)"
                        try await expect("GET", "/schools/:laestab/letters/:id", letterPath, allowed: mayOpen)
                        if letter.pdf != nil || !mayOpen {
                            try await expect(
                                "GET", "/schools/:laestab/letters/:id/pdf", letterPath + "/pdf", allowed: mayOpen)
                        }
                    }
                }
                let lead = role == .educationLead
                // Only the Education Lead decides, issues, records payments and refers for prosecution.
                try await expect("GET", "/penalties", "/penalties", allowed: lead)
                // Concerns are raised and closed by the Education Lead.
                try await expect("GET", "/concerns", "/concerns", allowed: lead)
                try await expect("POST", "/concerns", "/concerns", allowed: lead, status: .unprocessableEntity)
                try await expect(
                    "POST", "/concerns/:id/close", "/concerns/999999/close", allowed: lead, status: .notFound)
                try await expect(
                    "POST", "/targets/propose", "/targets/propose", allowed: lead, status: .unprocessableEntity)
                try await expect("GET", "/esw/referrals", "/esw/referrals", allowed: lead)
                for path in [
                    "/returns", "/returns/continuous-absence.csv", "/returns/deletions.csv", "/missing-education",
                    "/returns/weekly", "/returns/weekly.csv", "/authority", "/authority/schools.csv",
                    "/authority/dashboard.pdf",
                ] {
                    try await expect("GET", path, path, allowed: lead)
                }
                // The patrol log: the patrol role and the lead.
                try await expect("GET", "/patrols", "/patrols", allowed: lead || role == .patrol)
                try await expect(
                    "POST", "/patrols", "/patrols", allowed: lead || role == .patrol, status: .unprocessableEntity)
                for action in ["enquiries", "outcome"] {
                    try await expect(
                        "POST", "/missing-education/:id/\(action)", "/missing-education/999999/\(action)",
                        allowed: lead, status: .unprocessableEntity)
                }
                try await expect(
                    "GET", "/esw", "/esw", allowed: lead || role == .educationSocialWorker)
                try await expect(
                    "POST", "/penalties/:id/decision", "/penalties/999999/decision", allowed: lead,
                    status: .unprocessableEntity)
                try await expect(
                    "POST", "/penalties/:id/issue", "/penalties/999999/issue", allowed: lead,
                    status: .unprocessableEntity)
                try await expect(
                    "POST", "/penalties/notices/:id/payment", "/penalties/notices/999999/payment", allowed: lead,
                    status: .unprocessableEntity)
                for action in ["refer", "withdraw"] {
                    try await expect(
                        "POST", "/penalties/notices/:id/\(action)", "/penalties/notices/999999/\(action)",
                        allowed: lead, status: .notFound)
                }
                // Prosecutions and orders: the Education Lead's alone.
                try await expect("GET", "/legal", "/legal", allowed: lead)
                try await expect("POST", "/legal", "/legal", allowed: lead, status: .unprocessableEntity)
                try await expect(
                    "POST", "/legal/:id/steps", "/legal/999999/steps", allowed: lead, status: .unprocessableEntity)
                try await expect("GET", "/letters/templates", "/letters/templates", allowed: lead)
                try await expect(
                    "GET", "/letters/templates/:kind/:language", "/letters/templates/letter_1/cy", allowed: lead)
                try await expect(
                    "POST", "/letters/templates/:kind/:language", "/letters/templates/letter_1/cy", allowed: lead,
                    form: ["body": "{{nope}}"], status: .unprocessableEntity)
                try await expect(
                    "POST", "/letters/templates/:kind/:language/preview", "/letters/templates/letter_1/cy/preview",
                    allowed: lead, form: ["body": "{{nope}}"], status: .unprocessableEntity)
                try await expect(
                    "POST", "/letters/templates/:kind/:language/reset", "/letters/templates/letter_1/cy/reset",
                    allowed: lead)
                // The sign-in form carries its own token (from its cookie); a wrong password is a 401.
                try await browser.get("/sign-in")
                browser.csrf = try #require(browser.cookies[SignInController.formCookie])
                try await expect("POST", "/sign-in", "/sign-in", allowed: true, status: .unauthorized)
                try await browser.get("/")
                try await expect("POST", "/sign-out", "/sign-out", allowed: true, status: .seeOther)
            }
            // A person holding two roles is judged grant by grant, never merged: allowed exactly where one of their
            // roles alone is allowed, on every route either role was asked. The governor who is also a parent:
            // Named as the school's records name the child's first contact, as the demo parent is (a parent changes
            // only their own contact details).
            let contactName = try #require(
                try await store.contacts.contacts(of: pupils.child).min(by: { $0.priority < $1.priority })
            ).name
            try await store.identity.createUser(
                email: "governor-parent@example.org", displayName: contactName,
                passwordHash: try testPasswords.hash("two-roles"), mustChangePassword: false,
                grants: [
                    RoleGrant(role: .governor, school: mainSchool), RoleGrant(role: .parent, child: pupils.child),
                ],
                by: AuditActor("test"))
            var person = Browser(app)
            #expect(try await person.signIn("governor-parent@example.org", "two-roles").status == .seeOther)
            try await person.get("/")
            let roles: [Role] = [.governor, .parent]
            var asked = Set<String>()
            for row in roles.flatMap({ walked[$0] ?? [] })
            where !["/sign-in", "/sign-out"].contains(row.path) && asked.insert("\(row.method) \(row.path)").inserted {
                let answers = roles.compactMap { role in
                    walked[role]?.first { $0.method == row.method && $0.path == row.path }
                }
                let allowing = answers.first { $0.allowed }
                let response =
                    row.method == "GET" ? try await person.get(row.path) : try await person.post(row.path, row.form)
                if let allowing, let status = allowing.status {
                    #expect(response.status == status, "governor and parent: \(row.method) \(row.path)")
                } else if allowing != nil {
                    #expect(
                        response.status != .forbidden && (row.method != "GET" || response.status == .ok),
                        "governor and parent: \(row.method) \(row.path): \(response.status)")
                } else {
                    #expect(response.status == .forbidden, "governor and parent: \(row.method) \(row.path)")
                }
                #expect(response.status.code < 500, "governor and parent: \(row.method) \(row.path)")
            }
            let routes = Set(
                app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            #expect(
                routes == covered,
                "routes without a row: \(routes.subtracting(covered)); rows without a route: \(covered.subtracting(routes))"
            )
        }
    }

    @Test func everyRouteDeclaresAPermission() async throws {
        try await withWebApp { app, _ in
            #expect(app.routes.all.count >= 15)
            for route in app.routes.all {
                #expect(
                    route.rule != nil,
                    "\(route.method) \(route.path.map(\.description).joined(separator: "/")) declares no permission")
            }
        }
    }

    @Test func withoutSignInPagesAskForItAndTheAPIRefuses() async throws {
        try await withWebApp { app, store in
            let pupils = try await Pupils(store: store)
            var browser = Browser(app)
            for path in [
                "/", "/account", "/schools/\(mainSchool)", "/pupils/\(pupils.child)", "/audit?upn=\(pupils.child)",
            ] {
                let response = try await browser.get(path)
                #expect(response.status == .seeOther, "\(path)")
                let location = response.headers.first(name: .location) ?? ""
                #expect(location.hasPrefix("/sign-in?next="), "\(path)")
                #expect(location.removingPercentEncoding == "/sign-in?next=" + path, "\(path)")
            }
            for path in ["/api/pupils/\(pupils.child)/summary", "/api/schools/\(mainSchool)/summary"] {
                let response = try await browser.get(path)
                #expect(response.status == .unauthorized, "\(path)")
                #expect(response.headers.contentType == .json)
            }
            #expect(try await browser.get("/health").status == .ok)
            // Signing in from the redirect comes back to where the user was going.
            try await browser.get(
                "/sign-in?next=" + "/schools/\(mainSchool)".addingPercentEncoding(
                    withAllowedCharacters: .alphanumerics)!)
            let signIn = try await browser.post(
                "/sign-in", ["email": "head@demo.example", "password": "demo-head", "next": "/schools/\(mainSchool)"])
            #expect(signIn.headers.first(name: .location) == "/schools/\(mainSchool)")
            // Another site is never a place to return to.
            #expect(SignInController.safeNext("//evil.example/") == "/")
            #expect(SignInController.safeNext("https://evil.example/") == "/")
        }
    }

    @Test func aGovernorSeesFiguresButNeverANamedPupil() async throws {
        try await withWebApp { app, store in
            var browser = try await Browser.signedIn(app, as: .governor)
            let home = try await browser.get("/").body.string
            #expect(!home.contains("/pupils/"))
            let school = try await browser.get("/schools/\(mainSchool)").body.string
            #expect(school.contains("By form"))
            #expect(!school.contains("/pupils/"))
            let pupils = try await store.registers.schoolReport(
                mainSchool, in: DateRange(testToday.academicYear.firstDay, testToday)!)
            for line in pupils {
                #expect(!school.contains(line.pupil.upn.value) && !home.contains(line.pupil.upn.value))
                #expect(!school.contains(line.pupil.displayName) && !home.contains(line.pupil.displayName))
            }
        }
    }
}

/// One request of the matrix's walk for a role, and the answer it expects.
struct WalkedRow {
    let method: String
    let path: String
    let form: [String: String]
    let status: HTTPStatus?
    let allowed: Bool
}
