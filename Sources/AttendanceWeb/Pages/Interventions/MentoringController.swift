import AttendanceCore
import AttendanceStore
import Vapor

/// A pupil's interventions on their page, and a mentor's log of meetings and contacts with a mentee or their
/// family. The log is the office's contact log (`contact_attempts`), so the pupil's timeline is one.
enum MentoringController {
    struct LogForm: Form {
        let on: LocalDate
        let method: ContactAttempt.Method
        let with: String
        let notes: String?

        init(_ fields: FormFields) throws {
            on = try fields.date("on")
            method = try fields.choice("method")
            with = try fields.words("with", limit: 100, required: true)
            notes = try fields.optionalWords("notes", limit: Intervention.notesLimit)
        }

        static let labels = [
            "on": "interventions.logOn", "method": "contact.method", "with": "interventions.logWith",
            "notes": "interventions.logNotes",
        ]
    }

    @Sendable static func log(_ request: Request) async throws -> Response {
        guard case .pupil(let placement) = request.target else { throw Abort(.notFound) }
        let form = try request.form(LogForm.self)
        let today = request.context.today
        guard form.on <= today else { throw WebError.badField("on", .future, label: LogForm.labels["on"]) }
        guard Intervention.isWithinReach(form.on, of: today) else {
            throw WebError.badField("on", .longerThan(days: 366), label: LogForm.labels["on"])
        }
        // The school the mentor's grant names, which the pupil is on the roll of (the policy checked both).
        let grants = try request.signedIn.grants.filter { $0.role == .mentor && $0.child == placement.upn }
        guard let school = grants.compactMap(\.school).first(where: placement.currentSchools.contains) else {
            throw Abort(.forbidden)
        }
        try await request.context.store.procedure.logContactAttempt(
            upn: placement.upn, school: school, date: form.on, method: form.method, contactName: form.with,
            outcome: .reached, notes: form.notes, proposedCode: nil, by: request.actor)
        return Page.redirect(SiteURL.pupil(placement.upn, fragment: "interventions", query: ["logged": "1"]))
    }

    /// The pupil page's section: staff see every intervention (linked for those who record them) and, where the
    /// pupil is mentored, the log since the mentoring began; a mentor also the form to add to it; a parent a
    /// summary of the kinds told to parents, without staff notes.
    static func section(
        _ request: Request, placement: PupilPlacement, view: PupilView, school: LAESTAB?
    ) async throws -> PupilInterventions? {
        guard view == .full || view == .parent else { return nil }
        let store = request.context.store
        let today = request.context.today
        let text: InterventionsController.Text = { request.text($0, $1) }
        let names = try await request.names()
        let principal = try request.signedIn
        var items = try await store.interventions.interventions(of: placement.upn)
        if view == .parent { items = items.filter(\.kind.toldToParent) }
        let lines = items.map { item in
            var line =
                InterventionsController.kindWords(item, text) + ", "
                + InterventionsController.daysWords(item, today: today, text)
            if view == .full {
                line +=
                    ", "
                    + text(
                        "interventions.ledBy", ["name": RecordWords.actor(item.leader, names: names, text: text)])
            }
            if view == .full, !item.sessions.isEmpty {
                line +=
                    ", "
                    + text(
                        "interventions.cameTo",
                        [
                            "came": String(item.sessions.filter { $0.attended.contains(placement.upn) }.count),
                            "held": String(item.sessions.count),
                        ])
            }
            let href: String? =
                principal.allows(.manageInterventions, .school(item.school))
                ? SiteURL.school(.intervention, item.school, id: item.id) : nil
            return PupilInterventions.Item(line: line, href: href)
        }
        var mentoring: PupilInterventions.Mentoring?
        if view == .full, let school,
            let began = items.filter({ $0.kind == .mentoring && $0.school == school }).map(\.start).min()
        {
            // The school year's contacts since the mentoring began: the office's log, read alone.
            var logged: [ContactAttempt] = []
            if let range = DateRange(max(began, today.academicYear.firstDay), today) {
                logged = try await store.procedure.contactAttempts(of: placement.upn, school: school, in: range)
            }
            let mayLog = principal.allows(.mentorPupil, .pupil(placement))
            mentoring = PupilInterventions.Mentoring(
                log: logged.reversed().map { attempt in
                    [
                        DateText.day(attempt.date, text), text("contact.method.\(attempt.method.rawValue)", [:]),
                        [attempt.contactName, attempt.notes ?? ""].filter { !$0.isEmpty }.joined(separator: ": "),
                        RecordWords.actor(attempt.recordedBy, names: names, text: text),
                    ].filter { !$0.isEmpty }.joined(separator: ", ")
                }, hasLog: !logged.isEmpty,
                action: mayLog ? SiteURL.mentoringContact.path(["upn": placement.upn.value]) : nil,
                today: today.iso,
                methods: ContactAttempt.Method.allCases.map {
                    PupilInterventions.Option(value: $0.rawValue, label: text("contact.method.\($0.rawValue)", [:]))
                })
        }
        guard !lines.isEmpty || view == .full else { return nil }
        // The sanction form, for those who record interventions, where a sanction can apply (secondary pupils).
        var sanction: PupilInterventions.Sanction?
        if view == .full, let school, principal.allows(.manageInterventions, .school(school)),
            let stored = try await store.reference.pupil(placement.upn),
            SanctionRule.isSecondary(
                phase: try await store.reference.requireSchool(school).school.phase,
                yearGroup: stored.pupil.yearGroup)
        {
            sanction = PupilInterventions.Sanction(
                action: SiteURL.schoolPupil(.sanction, school, placement.upn), today: today.iso)
        }
        var notice: String?
        if request.query[String.self, at: "logged"] != nil { notice = text("interventions.logged", [:]) }
        if request.query[String.self, at: "sanctioned"] != nil { notice = text("sanction.recorded", [:]) }
        return PupilInterventions(
            notice: notice, items: lines, hasItems: !lines.isEmpty, mentoring: mentoring, sanction: sanction)
    }
}

/// The pupil page's interventions.
struct PupilInterventions: Sendable {
    struct Item: Sendable {
        let line: String
        let href: String?
    }

    struct Option: Sendable {
        let value: String
        let label: String
    }

    struct Mentoring: Sendable {
        let log: [String]
        let hasLog: Bool
        let action: String?
        let today: String
        let methods: [Option]
    }

    struct Sanction: Sendable {
        let action: String
        let today: String
    }

    let notice: String?
    let items: [Item]
    let hasItems: Bool
    let mentoring: Mentoring?
    let sanction: Sanction?
}
