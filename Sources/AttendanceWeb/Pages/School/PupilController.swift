import AttendanceCore
import AttendanceStore
import Vapor

/// One pupil's attendance. Staff also see corrections and contacts; a parent sees their child's figures and marks.
enum PupilController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        let notice =
            request.query[String.self, at: "reported"] != nil
            ? request.text("family.reported")
            : request.query[String.self, at: "asked"] != nil
                ? request.text("family.asked")
                : request.query[String.self, at: "contact"] != nil ? request.text("family.contactSaved") : nil
        return try await render(request, familyNotice: notice)
    }

    /// The page, with the family section's notice or the error of a refused report.
    static func render(
        _ request: Request, familyNotice: String? = nil, familyError: String? = nil,
        familyTyped: PupilPage.Family.Typed = .init(), status: HTTPStatus = .ok
    ) async throws -> Response {
        guard case .pupil(let placement) = request.target else { throw Abort(.notFound) }
        let principal = try request.signedIn
        let store = request.context.store
        let language = request.language
        let view = request.pupilView(placement)
        // A school the pupil has left sees its own time with them and nothing after.
        let former = formerEnrolment(placement, view)
        var range = FigureViews.yearToDate(request)
        if let former {
            guard let period = period(of: former, request) else { throw Abort(.notFound) }
            range = period
        }
        let (stored, summary) = try await store.registers.summary(of: placement.upn, in: range)
        let recent = DateRange(max(range.start, range.end.adding(days: -27)), range.end) ?? range
        let marks = try await store.registers.marks(of: placement.upn, in: recent)
        let current = former ?? stored.enrolments.last
        var school: StoredSchool?
        if let current { school = try await store.reference.school(current.school) }
        // The year session by session, and the patterns in it (with the sessions that make each).
        let yearMarks = try await store.registers.yearMarks(of: placement.upn, year: range.end.academicYear)
        var sessions: [SchoolSession] = []
        var patterns: [PatternFlag] = []
        var lessons: PupilLessons?
        if let school {
            let calendar = try await store.reference.calendar(for: school.school)
            sessions = calendar.sessions(in: range)
            patterns = Patterns.find(
                marks: yearMarks, calendar: calendar, asOf: range.end, codes: store.codes,
                policy: request.context.policy)
            // The term's lessons (the whole record's view: a parent sees the session figures alone).
            if view == .full, let term = calendar.term(containing: range.end),
                let span = DateRange(max(term.range.start, range.start), range.end)
            {
                lessons = PupilLessons.make(
                    try await store.lessons.lessonMarks(of: placement.upn, in: span), term: span,
                    text: { request.text($0, $1) })
            }
        }
        let text = request.text
        let names = try await request.names()
        let mentorOnly = AccessPolicy.seesAsMentorOnly(principal.grants, placement)
        var staff: PupilPage.Staff?
        if view == .full || former != nil {
            var actions: [QueuedAction] = []
            for enrolment in stored.enrolments where former == nil || former?.school == enrolment.school {
                actions += try await store.procedure.actions(school: enrolment.school, status: nil, upn: placement.upn)
            }
            staff = .make(
                corrections: try await store.registers.amendments(of: placement.upn).filter {
                    range.contains($0.session.date)
                },
                actions: actions,
                // A former school sees what its own time recorded, not the patrols' entries since.
                patrols: former == nil ? try await store.esw.patrolEntries(of: placement.upn) : [],
                policy: request.context.policy, codes: store.codes, language: language, names: names, text: text)
        }
        var contacts: PupilPage.Contacts?
        var evidence: PupilPage.Evidence?
        var letters: PupilPage.Letters?
        var esw: EswSection?
        var roll: RollSection?
        var medical: MedicalSection?
        if view == .full {
            if let current, former == nil, principal.allows(.referMedical, .school(current.school)) {
                let standing = try await store.medical.medicalStanding(
                    placement.upn, school: current.school, today: request.context.today)
                medical = MedicalController.section(
                    placement.upn, school: current.school,
                    referrals: try await store.medical.paediatricReferrals(of: placement.upn), standing: standing,
                    sharePercent: request.context.policy.casework.paediatricReferralPercent,
                    today: request.context.today,
                    saved: request.query[String.self, at: "medical"] != nil, names: names, text: text)
            }
            if let current, former == nil, principal.allows(.manageAttendance, .school(current.school)) {
                roll = RollController.section(
                    placement.upn, school: current.school,
                    cases: try await store.roll.missingEducationCases(of: placement.upn),
                    saved: request.query[String.self, at: "roll"], text: text)
            }
            if let current, former == nil, !mentorOnly {
                let cases = try await store.esw.eswCases(of: placement.upn).filter { $0.school == current.school }
                var plans: [ImprovementPlan] = []
                for found in cases { plans += try await store.esw.improvementPlans(case: found.id) }
                esw = .make(
                    cases, plans: plans, school: current.school, upn: placement.upn,
                    mayRefer: principal.allows(.manageAttendance, .school(current.school)),
                    mayOpen: principal.allows(.workEswCases, .school(current.school)),
                    saved: request.query[String.self, at: "saved"] == "esw",
                    names: names, text: text)
            }
            contacts = .make(try await store.contacts.contacts(of: placement.upn), text: text)
            if let current, former == nil, principal.allows(.manageAttendance, .school(current.school)) {
                evidence = .make(
                    try await store.medical.medicalEvidence(of: placement.upn),
                    letter3Sent: try await store.medical.letter3Sent(
                        upn: placement.upn, school: current.school, year: request.context.today.academicYear),
                    saved: request.query[String.self, at: "evidence"] != nil, school: current.school,
                    upn: placement.upn, text: text)
            }
            if let current, former == nil, principal.allows(.workActions, .school(current.school)) {
                letters = .make(
                    letters: try await store.letters.letters(of: placement.upn),
                    deliveries: try await store.letters.deliveries(of: placement.upn),
                    mayResend: principal.allows(.authoriseAbsence, .school(current.school)),
                    produced: request.query[String.self, at: "produced"] != nil, school: current.school,
                    upn: placement.upn, people: names, text: text)
            }
        }
        var transfers: PupilTransfers?
        if view == .full, !mentorOnly {
            transfers = try await TransfersController.section(
                request, upn: placement.upn, school: current?.school, former: former != nil)
        }
        let page = PupilPage.make(
            pupil: stored.pupil, upn: placement.upn, school: (school?.school.name ?? "", current?.school),
            leftOn: former.map { $0.onRollTo.map { DateText.day($0, text) } ?? "" }, range: range, summary: summary,
            recent: marks,
            sessions: sessions, yearMarks: yearMarks, patterns: patterns, codes: store.codes, language: language,
            staff: staff, contacts: contacts, evidence: evidence, letters: letters,
            // A mentor sees the pupil's attendance, timeline and contacts, not the family's requests and reports.
            family: mentorOnly
                ? nil
                : try await FamilyController.section(
                    request, placement: placement, view: view, notice: familyNotice, error: familyError,
                    typed: familyTyped), esw: esw,
            roll: roll, medical: medical,
            interventions: former == nil
                ? try await MentoringController.section(
                    request, placement: placement, view: view, school: current?.school) : nil,
            transfers: transfers,
            subjectAccess: principal.allows(.subjectAccess, .pupil(placement))
                ? SiteURL.subjectAccess.path(["upn": placement.upn.value]) : nil,
            lessons: lessons, text: text)
        return try Page.render(page, request: request, status: status)
    }

    /// For staff of a school the pupil has left (and of no school they are at): their latest time with them.
    static func formerEnrolment(_ placement: PupilPlacement, _ view: PupilView) -> Enrolment? {
        guard case .formerSchools(let schools) = view else { return nil }
        return placement.enrolments.filter { schools.contains($0.school) }.max { $0.onRollFrom < $1.onRollFrom }
    }

    /// The part of this school year the enrolment covers, or, if it ended before this year, its last school year.
    static func period(of enrolment: Enrolment, _ request: Request) -> DateRange? {
        if let clipped = enrolment.clip(FigureViews.yearToDate(request)) { return clipped }
        let end = enrolment.onRollTo ?? request.context.today
        return DateRange(max(enrolment.onRollFrom, end.academicYear.firstDay), end)
    }

    /// Records medical evidence seen for an absence. Checked field by field; nothing is kept unless all is well.
    @Sendable static func recordEvidence(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target,
            let upn = request.parameters.get("upn").flatMap({ try? UPN($0) }),
            let stored = try await request.context.store.reference.pupil(upn)
        else { throw Abort(.notFound) }
        guard request.mayWorkOn(stored, at: laestab) else { throw Abort(.forbidden) }
        let form = try request.form(EvidenceForm.self)
        guard form.seenOn <= request.context.today else {
            throw WebError.badField("seen_on", .future, label: EvidenceForm.labels["seen_on"])
        }
        try await request.context.store.medical.recordMedicalEvidence(
            upn: upn, school: laestab, days: form.days, what: form.what, seenBy: form.seenBy, seenOn: form.seenOn,
            by: request.actor)
        return Page.redirect(SiteURL.pupil(upn, fragment: "evidence", query: ["evidence": "1"]))
    }
}

/// Medical evidence the office has seen: the days it covers, what it is, who saw it and when.
struct EvidenceForm: Form {
    let days: DateRange
    let what: String
    let seenBy: String
    let seenOn: LocalDate

    static let labels = [
        "from": "evidence.from", "to": "evidence.to", "what": "evidence.what", "seen_by": "evidence.seenBy",
        "seen_on": "evidence.seenOn",
    ]

    init(_ fields: FormFields) throws {
        let from = try fields.date("from")
        guard let days = DateRange(from, try fields.date("to")) else { throw WebError.badField("to", .backwards) }
        self.days = days
        seenOn = try fields.date("seen_on")
        what = try fields.words("what", limit: 200, required: true)
        seenBy = try fields.words("seen_by", limit: 100, required: true)
    }
}
