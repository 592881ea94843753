import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Foundation
import Vapor

/// The Education Social Work service: the authority's inbox of referrals (the education lead allocates or
/// returns), an ESW's caseload across their schools, and each case with its log. Every step goes through the
/// store's checks (`EswRules`); a refusal is said on the page it came from.
enum EswController {
    @Sendable static func inbox(_ request: Request) async throws -> Response {
        let notice = request.query[String.self, at: "saved"] != nil ? request.text("esw.saved") : nil
        return try await renderInbox(request, notice: notice, error: nil, status: .ok)
    }

    static func renderInbox(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        let store = request.context.store
        let text = request.text
        let principal = try request.signedIn
        // The lead allocates for every school; a senior ESW for the schools they are senior ESW of.
        let cases = try await store.esw.eswCases(schools: nil).filter {
            principal.allows(.allocateReferrals, .school($0.school))
        }
        let pupils = try await store.reference.pupils(cases.map(\.upn))
        let schools = Dictionary(
            uniqueKeysWithValues: try await store.reference.schools().map { ($0.school.laestab, $0.school) })
        let workers = try await store.esw.eswWorkers()
        let names = Self.names(workers)
        var referrals: [(area: Int?, referral: EswInboxPage.Referral)] = []
        for found in cases where found.status == .referred {
            let school = schools[found.school]
            let options = (workers[found.school] ?? []).map { Option(value: $0.email, label: $0.displayName) }
            referrals.append(
                (
                    school?.eswArea,
                    EswInboxPage.Referral(
                        line: .make(found, pupil: pupils[found.upn], school: school, names: names, text: text),
                        facts: try await facts(found, request: request), workers: options,
                        noWorkers: options.isEmpty ? text("esw.noWorkers", [:]) : nil,
                        allocateAction: SiteURL.school(.allocateEsw, found.school, id: found.id),
                        returnAction: SiteURL.school(.returnEsw, found.school, id: found.id))
                ))
        }
        let areas = Dictionary(grouping: referrals, by: \.area).sorted { ($0.key ?? .max) < ($1.key ?? .max) }.map {
            EswInboxPage.Area(title: EswWords.area($0.key, text: text), referrals: $0.value.map(\.referral))
        }
        let open = cases.filter { $0.status == .allocated }.map {
            EswCaseLine.make($0, pupil: pupils[$0.upn], school: schools[$0.school], names: names, text: text)
        }
        return try Page.render(
            EswInboxPage(
                title: text("esw.inboxTitle", [:]), intro: text("esw.inboxIntro", [:]), notice: notice, error: error,
                areas: areas, noReferrals: text("esw.noReferrals", [:]), openTitle: text("esw.openTitle", [:]),
                open: open, hasOpen: !open.isEmpty, words: EswWords(text: text)), request: request, status: status)
    }

    /// The ESWs' names by email, for saying who has a case.
    static func names(_ workers: [LAESTAB: [UserAccount]]) -> [String: String] {
        Dictionary(workers.values.flatMap { $0 }.map { ($0.email, $0.displayName) }) { first, _ in first }
    }

    /// The referral form's content from the record: the school's notes and known concerns, the school year's
    /// figures, and the school's steps so far in brief.
    static func facts(_ found: EswCase, request: Request) async throws -> [PenaltyPacket.Fact] {
        let store = request.context.store
        let text = request.text
        let plain = { (key: String) in text(key, [:]) }
        let today = request.context.today
        var facts: [PenaltyPacket.Fact] = []
        if let year = DateRange(today.academicYear.firstDay, today) {
            let (_, summary) = try await store.registers.summary(of: found.upn, in: year)
            facts.append(
                .init(
                    label: plain("esw.figures"),
                    value: text(
                        "esw.figuresValue",
                        [
                            "percent": summary.attendancePercentText, "unauthorised": String(summary.unauthorised),
                            "authorised": String(summary.authorised), "possible": String(summary.possible),
                        ])))
        }
        if !found.notes.isEmpty { facts.append(.init(label: plain("esw.notes"), value: found.notes)) }
        if !found.concerns.isEmpty { facts.append(.init(label: plain("esw.concerns"), value: found.concerns)) }
        let steps = try await store.penalties.timeline(of: found.upn, school: found.school, through: today)
        let letters = steps.filter { $0.kind == .letter }.map {
            "\($0.on) " + (Catalogue.known("letters.kind.\($0.what)", text) ?? $0.what)
        }
        facts.append(
            .init(
                label: plain("penalty.fact.letters"),
                value: letters.isEmpty ? plain("penalty.fact.noLetters") : letters.joined(separator: "; ")))
        let calls = steps.filter { $0.kind == .contact }
        facts.append(
            .init(
                label: plain("esw.contactsTried"),
                value: text(
                    "esw.contactsTriedValue",
                    [
                        "count": String(calls.count),
                        "reached": String(calls.filter { $0.outcome == ContactAttempt.Outcome.reached.rawValue }.count),
                    ])))
        return facts
    }

    @Sendable static func allocate(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let to = ((try? request.content.get(String.self, at: "to")) ?? "").trimmingCharacters(in: .whitespaces)
        return try await step(request, back: nil) {
            try await requireCase(request, id, at: laestab)
            _ = try await request.context.store.esw.allocateEswCase(id, to: to, by: request.actor)
        }
    }

    /// The case page again, with the form's sentence and what it names.
    static func refuse(_ request: Request, _ key: String, _ refusal: FormRefusal) async throws -> Response {
        try await renderCase(
            request, notice: nil, error: request.text(key) + request.refusalDetail(refusal.error),
            status: .unprocessableEntity)
    }

    @Sendable static func giveBack(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let form = try request.form(EswForms.GiveBack.self)
        return try await step(request, back: nil) {
            try await requireCase(request, id, at: laestab)
            _ = try await request.context.store.esw.returnEswCase(id, reason: form.reason, by: request.actor)
        }
    }

    @Sendable static func caseload(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        let store = request.context.store
        let text = request.text
        // The education lead sees every school's; an ESW the schools they are the ESW of.
        let mine: Set<LAESTAB>? =
            principal.allows(.viewAuthority, .none)
            ? nil
            : Set(principal.grants.filter { $0.role == .educationSocialWorker }.compactMap(\.school))
        let cases = try await store.esw.eswCases(schools: mine).filter(\.status.isOpen).sorted {
            ($0.nextStepOn?.dayNumber ?? .max, $0.id) < ($1.nextStepOn?.dayNumber ?? .max, $1.id)
        }
        let pupils = try await store.reference.pupils(cases.map(\.upn))
        let schools = Dictionary(
            uniqueKeysWithValues: try await store.reference.schools().map { ($0.school.laestab, $0.school) })
        let names = names(try await store.esw.eswWorkers())
        let lines = cases.map {
            EswCaseLine.make($0, pupil: pupils[$0.upn], school: schools[$0.school], names: names, text: text)
        }
        // Each school's list for the visits: the pupils below 92% with their trend since the last.
        let visits = schools.values.filter { mine?.contains($0.laestab) ?? true }.sorted { $0.name < $1.name }.map {
            PageFrame.Link(
                href: SiteURL.school(.schoolVisits, $0.laestab),
                label: text("esw.visitLink", ["school": $0.name, "laestab": $0.laestab.description]))
        }
        return try Page.render(
            EswCaseloadPage(
                title: text("esw.caseloadTitle", [:]), intro: text("esw.caseloadIntro", [:]), cases: lines,
                hasCases: !lines.isEmpty, noCases: text("esw.noCases", [:]), visitsTitle: text("esw.visitsTitle", [:]),
                visits: visits, words: EswWords(text: text)),
            request: request)
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        let notice = request.query[String.self, at: "saved"] != nil ? request.text("esw.saved") : nil
        return try await renderCase(request, notice: notice, error: nil, status: .ok)
    }

    static func renderCase(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        let (laestab, id) = try caseTarget(request)
        let store = request.context.store
        let text = request.text
        guard let found = try? await store.esw.requireEswCase(id), found.school == laestab else {
            throw Abort(.notFound)
        }
        let pupil = try await store.reference.pupil(found.upn)?.pupil
        let school = try await store.reference.school(laestab)?.school
        let names = names(try await store.esw.eswWorkers())
        let line = EswCaseLine.make(found, pupil: pupil, school: school, names: names, text: text)
        let steps = try await store.penalties.timeline(of: found.upn, school: laestab, through: request.context.today)
        let plans = try await store.esw.improvementPlans(case: id)
        let panels = try await store.esw.attendancePanels(case: id)
        let current = plans.last
        let today = request.context.today
        // A pupil who has moved: the case is history here; the family's contacts now are the new school's.
        let left = try await hasLeft(found, request: request)
        let open = found.status == .allocated && !left
        // One plan at a time: another once the last has its outcome.
        let mayStartPlan = open && (current == nil || current?.outcome != nil)
        return try Page.render(
            EswCasePage(
                title: text("esw.caseTitle", ["name": line.name]),
                notice: notice ?? (left ? text("esw.pupilLeft", [:]) : nil), error: error, line: line,
                facts: try await facts(found, request: request),
                timeline: PenaltyPackPage.timeline(steps, policy: request.context.policy, text: text),
                contactsTitle: text("pupil.contacts", [:]),
                contacts: left
                    ? [] : try await store.contacts.contacts(of: found.upn).map { ContactWords.line($0, text: text) },
                logTitle: text("esw.logTitle", [:]),
                log: found.events.map { EswWords.step($0, names: names, text: text) },
                logAction: open ? SiteURL.school(.logEsw, laestab, id: id) : nil,
                closeAction: found.status == .allocated ? SiteURL.school(.closeEsw, laestab, id: id) : nil,
                today: today.iso, words: EswWords(text: text),
                plan: current.map { PlanView.make($0, school: laestab, caseID: id, today: today, text: text) },
                earlierPlans: plans.dropLast().map { PlanView.line($0, text: text) },
                startPlanAction: mayStartPlan ? SiteURL.school(.startPlan, laestab, id: id) : nil,
                planWords: PlanWords(text: text),
                panels: panels.map { PanelView.make($0, school: laestab, caseID: id, today: today, text: text) },
                schedulePanelAction: open && panels.allSatisfy({ $0.attendance != nil })
                    ? SiteURL.school(.schedulePanel, laestab, id: id) : nil, panelWords: PanelWords(text: text)),
            request: request, status: status)
    }

    @Sendable static func log(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let form: EswForms.Entry
        do { form = try request.form(EswForms.Entry.self) } catch let error as FormRefusal {
            return try await refuse(request, "esw.badEntry", error)
        }
        guard form.on <= request.context.today else {
            return try await refuse(request, "esw.badEntry", FormRefusal(WebError.badField("on", .future)))
        }
        return try await step(request, back: (laestab, id)) {
            try await requireCase(request, id, at: laestab, newWork: true)
            _ = try await request.context.store.esw.logEswEntry(
                id, kind: form.kind, on: form.on, with: form.with, outcome: form.outcome, nextStep: form.nextStep,
                nextStepOn: form.nextStepOn, by: request.actor)
        }
    }

    @Sendable static func close(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let form: EswForms.Close
        do { form = try request.form(EswForms.Close.self) } catch let error as FormRefusal {
            return try await refuse(request, "error.badRequest", error)
        }
        return try await step(request, back: (laestab, id)) {
            try await requireCase(request, id, at: laestab)
            _ = try await request.context.store.esw.closeEswCase(
                id, outcome: form.outcome, reason: form.reason, by: request.actor)
        }
    }

    @Sendable static func startPlan(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let form: EswForms.StartPlan
        do { form = try request.form(EswForms.StartPlan.self) } catch let error as FormRefusal {
            return try await refuse(request, "plan.badForm", error)
        }
        return try await step(request, back: (laestab, id)) {
            try await requireCase(request, id, at: laestab, newWork: true)
            _ = try await request.context.store.esw.startImprovementPlan(
                case: id, start: form.start, targetPercent: form.target, schoolActions: form.schoolActions,
                familyActions: form.familyActions, pupilActions: form.pupilActions, by: request.actor)
        }
    }

    @Sendable static func reviewPlan(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let form: EswForms.ReviewPlan
        do { form = try request.form(EswForms.ReviewPlan.self) } catch let error as FormRefusal {
            return try await refuse(request, "error.badRequest", error)
        }
        return try await step(request, back: (laestab, id)) {
            let plan = try await currentPlan(request, school: laestab, case: id)
            _ = try await request.context.store.esw.reviewImprovementPlan(
                plan.id, week: form.week, note: form.note, today: request.context.today, by: request.actor)
        }
    }

    @Sendable static func endPlan(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let form: EswForms.EndPlan
        do { form = try request.form(EswForms.EndPlan.self) } catch let error as FormRefusal {
            return try await refuse(request, "error.badRequest", error)
        }
        return try await step(request, back: (laestab, id)) {
            let plan = try await currentPlan(request, school: laestab, case: id)
            _ = try await request.context.store.esw.endImprovementPlan(
                plan.id, outcome: form.outcome, next: form.next, today: request.context.today, by: request.actor)
        }
    }

    /// Schedules a panel and sends its invitation to the parents, each in their language.
    @Sendable static func schedulePanel(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let form: EswForms.SchedulePanel
        do { form = try request.form(EswForms.SchedulePanel.self) } catch let error as FormRefusal {
            return try await refuse(request, "panel.badForm", error)
        }
        // A panel is scheduled for today or later.
        guard form.sitting.on >= request.context.today else {
            return try await refuse(request, "panel.badForm", FormRefusal(WebError.badField("on", .missingOrInvalid)))
        }
        return try await step(request, back: (laestab, id)) {
            try await requireCase(request, id, at: laestab, newWork: true)
            let panel = try await request.context.store.esw.schedulePanel(
                case: id, sitting: form.sitting, members: form.members, by: request.actor)
            try await invite(request, .panelInvitation, to: panel, case: id)
        }
    }

    /// Whether the parents came; if not to a first panel, the second invitation goes with its own sitting.
    @Sendable static func panelAttendance(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        guard let panelID = request.parameters.get("panel", as: Int.self) else { throw Abort(.notFound) }
        let form: EswForms.PanelAttendanceForm
        do { form = try request.form(EswForms.PanelAttendanceForm.self) } catch let error as FormRefusal {
            return try await refuse(request, "error.badRequest", error)
        }
        // A second sitting is for today or later.
        let second = form.second.flatMap { $0.on >= request.context.today ? $0 : nil }
        return try await step(request, back: (laestab, id)) {
            let store = request.context.store
            guard try await store.esw.requireEswCase(id).school == laestab,
                try await store.esw.requirePanel(panelID).caseID == id
            else { throw Abort(.notFound) }
            if let next = try await store.esw.recordPanelAttendance(
                panelID, form.attendance, second: form.attendance.cameToPanel ? nil : second,
                today: request.context.today, by: request.actor)
            {
                try await invite(request, .panelSecondInvitation, to: next, case: id)
            }
        }
    }

    @Sendable static func panelOutcome(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        guard let panelID = request.parameters.get("panel", as: Int.self) else { throw Abort(.notFound) }
        let form: EswForms.PanelOutcome
        do { form = try request.form(EswForms.PanelOutcome.self) } catch let error as FormRefusal {
            return try await refuse(request, "error.badRequest", error)
        }
        return try await step(request, back: (laestab, id)) {
            let store = request.context.store
            guard try await store.esw.requireEswCase(id).school == laestab,
                try await store.esw.requirePanel(panelID).caseID == id
            else { throw Abort(.notFound) }
            try await store.esw.recordPanelOutcome(panelID, outcome: form.outcome, by: request.actor)
        }
    }

    /// A panel was recorded but its invitation could not be made (no contact to write to, the pupil has left).
    struct InvitationNotMade: Error {}

    /// The panel's invitation, kept as a letter to the parents in their language.
    static func invite(_ request: Request, _ kind: LetterKind, to panel: AttendancePanel, case id: Int) async throws {
        let found = try await request.context.store.esw.requireEswCase(id)
        do {
            _ = try await request.context.letters.produce(
                kind, for: found.upn, school: found.school,
                details: ["meeting_date": panel.on.iso, "meeting_time": panel.time, "meeting_place": panel.place],
                today: request.context.today, by: request.actor, signatory: try request.signedIn.user.displayName)
        } catch is LetterProblem {
            // The panel is recorded; only its letter could not be made, and the page says so.
            throw InvitationNotMade()
        }
        sendInBackground(request.context.letters, logger: request.logger)
    }

    /// The case's latest plan, the one reviews and the outcome are for.
    static func currentPlan(_ request: Request, school laestab: LAESTAB, case id: Int) async throws
        -> ImprovementPlan
    {
        try await requireCase(request, id, at: laestab, newWork: true)
        guard try await request.context.store.esw.requireEswCase(id).school == laestab,
            let plan = try await request.context.store.esw.improvementPlans(case: id).last
        else { throw Abort(.notFound) }
        return plan
    }

    /// A school's referral by hand, from the pupil's page: the school's notes and the concerns it knows of.
    @Sendable static func refer(_ request: Request) async throws -> Response {
        let (laestab, upn) = try await request.pupilOnSchoolRoll()
        let form: EswForms.Refer
        do { form = try request.form(EswForms.Refer.self) } catch is FormRefusal {
            throw WebError.refused(.eswNeedNotes)
        }
        _ = try await request.context.store.esw.referToEsw(
            upn, school: laestab, source: .school, notes: form.notes, concerns: form.concerns,
            on: request.context.today, by: request.actor)
        return Page.redirect(SiteURL.pupil(upn, fragment: "esw", query: ["saved": "esw"]))
    }

    static func problemValues(_ problem: EswRules.PlanProblem) -> [String: String] {
        switch problem {
        case .notAWeekToReview(let week): ["week": String(week)]
        case .notEnded(let end): ["end": end.iso]
        case .notNow, .badTarget: [:]
        }
    }

    /// The case must be the school's named in the path: the permission was asked of that school. New casework (a
    /// contact logged, a plan, a panel) needs the pupil still on that school's roll: once they have moved, the case
    /// is the former school's history, and new work belongs to the new school's ESW (the lead reallocates).
    static func requireCase(_ request: Request, _ id: Int, at laestab: LAESTAB, newWork: Bool = false) async throws {
        let found = try await request.context.store.esw.requireEswCase(id)
        guard found.school == laestab else { throw Abort(.notFound) }
        if newWork, try await hasLeft(found, request: request) { throw WebError.refused(.eswPupilLeft) }
    }

    /// Whether the case's pupil is no longer on the roll of the case's school.
    static func hasLeft(_ found: EswCase, request: Request) async throws -> Bool {
        guard let stored = try await request.context.store.reference.pupil(found.upn) else { return true }
        return !stored.placement(on: request.context.today).currentSchools.contains(found.school)
    }

    static func caseTarget(_ request: Request) throws -> (LAESTAB, Int) {
        guard let laestab = request.parameters.get("laestab").flatMap({ LAESTAB(text: $0) }),
            let id = request.parameters.get("id", as: Int.self)
        else { throw Abort(.notFound) }
        return (laestab, id)
    }

    /// Takes a step and goes back to the page it came from (the case, or the inbox); a refusal by the service's
    /// rules is said there.
    static func step(_ request: Request, back: (LAESTAB, Int)?, _ work: () async throws -> Void) async throws
        -> Response
    {
        do {
            try await work()
        } catch StoreError.esw(let problem) {
            let error = request.text("error.esw.\(problem.key)")
            let status: HTTPStatus = if case .notNow = problem { .conflict } else { .unprocessableEntity }
            if back != nil { return try await renderCase(request, notice: nil, error: error, status: status) }
            return try await renderInbox(request, notice: nil, error: error, status: status)
        } catch StoreError.eswPanel(let problem) {
            let status: HTTPStatus = problem == .panelNotNow ? .conflict : .unprocessableEntity
            return try await renderCase(
                request, notice: nil, error: request.text("error.esw.\(problem.key)"), status: status)
        } catch is InvitationNotMade {
            return try await renderCase(
                request, notice: nil, error: request.text("panel.noLetter"), status: .unprocessableEntity)
        } catch StoreError.eswPlan(let problem) {
            let error = request.text("error.esw.\(problem.key)", problemValues(problem))
            let status: HTTPStatus = if case .notNow = problem { .conflict } else { .unprocessableEntity }
            return try await renderCase(request, notice: nil, error: error, status: status)
        } catch StoreError.notFound {
            throw Abort(.notFound)
        }
        if let (laestab, id) = back {
            return Page.redirect(SiteURL.school(.eswCase, laestab, id: id, query: ["saved": "1"]))
        }
        return Page.redirect(SiteURL.eswInbox.path(query: ["saved": "1"]))
    }
}
