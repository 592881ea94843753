import AttendanceCore
import AttendanceStore
import Vapor

/// The parents' evening list (the policy: "Parents of pupils with low attendance can be identified in advance of
/// the parents evening"): before an evening the school dates, the pupils below target by form with their figures,
/// the procedure's latest step and the last contact, printable for the teachers; afterwards each conversation is
/// logged as an intervention.
enum ParentsEveningController {
    @Sendable static func list(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let today = request.context.today
        let evening = try request.queryDate("date") ?? today
        guard Intervention.isWithinReach(evening, of: today) else {
            throw WebError.badField("date", .longerThan(days: 366))
        }
        let text: InterventionsController.Text = { request.text($0, $1) }
        let school = try await store.reference.requireSchool(laestab).school
        let range = FigureViews.yearToDate(request)
        let target = try await store.targets.target(laestab, for: range.end.academicYear)
        let onRoll = Set(try await store.reference.onRoll(laestab, on: min(evening, today)).map(\.upn))
        var below: [PupilSummary] = []
        for line in try await store.registers.schoolReport(laestab, in: range)
        where onRoll.contains(line.pupil.upn)
            && AttendanceTarget.isBelow(target, line.summary)
        {
            // A head of year lists their years only; the office and leaders the whole school.
            guard let stored = try await store.reference.pupil(line.pupil.upn), request.mayWorkOn(stored, at: laestab)
            else { continue }
            below.append(line)
        }
        let actions = Dictionary(
            grouping: try await store.procedure.actions(
                school: laestab, status: nil, year: range.end.academicYear), by: \.pupil.upn)
        let names = try await request.names()
        let policy = request.context.policy
        let contacts = try await store.procedure.latestContacts(school: laestab, in: range)
        var forms: [ParentsEveningPage.Form] = []
        for (form, lines) in Dictionary(grouping: below, by: \.pupil.registrationGroup).sorted(by: {
            NaturalOrder.precedes($0.key, $1.key)
        }) {
            var rows: [ParentsEveningPage.Row] = []
            for line in lines.sorted(by: { $0.pupil.displayName < $1.pupil.displayName }) {
                let upn = line.pupil.upn
                let stage = actions[upn]?.max { ($0.dueOn, $0.id.rawValue) < ($1.dueOn, $1.id.rawValue) }
                let contact = contacts[upn]
                rows.append(
                    ParentsEveningPage.Row(
                        upn: upn.value, name: line.pupil.displayName, href: SiteURL.pupil(upn),
                        attendance: line.summary.attendancePercentText,
                        unauthorised: String(line.summary.unauthorised),
                        stage: stage.map {
                            text($0.action.labelKey, $0.action.wordValues(policy)) + " ("
                                + text("status.\($0.status.rawValue)", [:]) + ")"
                        } ?? text("parentsEvening.noStage", [:]),
                        lastContact: contact.map {
                            DateText.day($0.date, text) + ", " + text("contact.method.\($0.method.rawValue)", [:])
                                + ", " + RecordWords.actor($0.recordedBy, names: names, text: text)
                        } ?? text("parentsEvening.noContact", [:])))
            }
            forms.append(ParentsEveningPage.Form(name: form, rows: rows))
        }
        let page = ParentsEveningPage(
            title: text(
                "parentsEvening.title", ["school": school.name, "date": DateText.day(evening, text)]),
            notice: request.query[String.self, at: "logged"] != nil ? text("parentsEvening.logged", [:]) : nil,
            targetLine: target.map { text("groups.targetLine", ["target": $0.percentText]) }
                ?? text("parentsEvening.noTarget", [:]),
            forms: forms, empty: forms.isEmpty ? text("parentsEvening.none", [:]) : nil, date: evening.iso,
            action: SiteURL.school(.parentsEvening, laestab),
            logAction: SiteURL.school(.parentsEvening, laestab, query: ["date": evening.iso]),
            pupils: below.sorted { $0.pupil.displayName < $1.pupil.displayName }.map {
                ParentsEveningPage.Choice(
                    value: $0.pupil.upn.value, label: "\($0.pupil.displayName) (\($0.pupil.registrationGroup))")
            }, mayLog: evening <= today)
        return try Page.render(page, request: request)
    }

    /// A conversation at the evening: the pupil, and what was said and agreed.
    struct LogForm: Form {
        let upn: UPN
        let on: LocalDate
        let notes: String

        init(_ fields: FormFields) throws {
            upn = try fields.pupil("upn")
            on = try fields.date("on")
            notes = try fields.words("notes", limit: Intervention.notesLimit)
        }

        static let labels = [
            "upn": "parentsEvening.pupil", "on": "parentsEvening.date", "notes": "parentsEvening.notes",
        ]
    }

    @Sendable static func log(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let form = try request.form(LogForm.self)
        let store = request.context.store
        let today = request.context.today
        guard form.on <= today else { throw WebError.badField("on", .future, label: LogForm.labels["on"]) }
        guard let stored = try await store.reference.pupil(form.upn), request.mayWorkOn(stored, at: laestab) else {
            throw WebError.badField("upn", .notRecognised(form.upn.value), label: LogForm.labels["upn"])
        }
        let me = try request.signedIn.user.email
        let draft: Intervention.Draft
        do {
            draft = try Intervention.Draft(
                kind: .parentsEvening, title: "", leader: me, pupils: [form.upn],
                start: form.on, end: form.on, notes: form.notes, today: today)
        } catch { throw StoreError.intervention(error) }
        try await store.interventions.start(draft, school: laestab, today: today, by: request.actor)
        return Page.redirect(SiteURL.school(.parentsEvening, laestab, query: ["date": form.on.iso, "logged": "1"]))
    }
}

/// The list for a parents' evening, by form, printable.
struct ParentsEveningPage: PageModel {
    static let template = "parents-evening"

    struct Row: Sendable {
        let upn: String
        let name: String
        let href: String
        let attendance: String
        let unauthorised: String
        let stage: String
        let lastContact: String
    }

    struct Form: Sendable {
        let name: String
        let rows: [Row]
    }

    struct Choice: Sendable {
        let value: String
        let label: String
    }

    let title: String
    let notice: String?
    let targetLine: String
    let forms: [Form]
    let empty: String?
    let date: String
    let action: String
    let logAction: String
    let pupils: [Choice]
    let mayLog: Bool
}
