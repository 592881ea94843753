import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Foundation
import Vapor

/// One case: its page, its log and its closing, and the checks every step on a case makes.
extension EswController {
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
        let names = try await request.names()
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
        let names = try await request.names()
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
                timeline: PenaltyPackPage.timeline(steps, policy: request.context.policy, names: names, text: text),
                contactsTitle: text("pupil.contacts", [:]),
                contacts: left
                    ? [] : try await store.contacts.contacts(of: found.upn).map { ContactWords.line($0, text: text) },
                logTitle: text("esw.logTitle", [:]),
                log: found.events.map { EswWords.step($0, names: names, text: text) },
                logAction: open ? SiteURL.school(.logEsw, laestab, id: id) : nil,
                closeAction: found.status == .allocated ? SiteURL.school(.closeEsw, laestab, id: id) : nil,
                today: today.iso, words: EswWords(text: text),
                plan: current.map {
                    PlanView.make($0, school: laestab, caseID: id, today: today, names: names, text: text)
                },
                earlierPlans: plans.dropLast().map { PlanView.line($0, text: text) },
                startPlanAction: mayStartPlan ? SiteURL.school(.startPlan, laestab, id: id) : nil,
                planWords: PlanWords(text: text),
                panels: panels.map { PanelView.make($0, school: laestab, caseID: id, today: today, text: text) },
                schedulePanelAction: open && panels.allSatisfy({ $0.attendance != nil })
                    ? SiteURL.school(.schedulePanel, laestab, id: id) : nil, panelWords: PanelWords(text: text)),
            request: request, status: status)
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

    /// The case must be the school's named in the path: the permission was asked of that school. New casework (a
    /// contact logged, a plan, a panel) needs the pupil still on that school's roll: once they have moved, the case
    /// is the former school's history, and new work belongs to the new school's ESW (the lead reallocates).
    static func requireCase(_ request: Request, _ id: EswCaseID, at laestab: LAESTAB, newWork: Bool = false)
        async throws
    {
        let found = try await request.context.store.esw.requireEswCase(id)
        guard found.school == laestab else { throw Abort(.notFound) }
        if newWork, try await hasLeft(found, request: request) { throw WebError.refused(.eswPupilLeft) }
    }

    /// Whether the case's pupil is no longer on the roll of the case's school.
    static func hasLeft(_ found: EswCase, request: Request) async throws -> Bool {
        guard let stored = try await request.context.store.reference.pupil(found.upn) else { return true }
        return !stored.placement(on: request.context.today).currentSchools.contains(found.school)
    }
}
