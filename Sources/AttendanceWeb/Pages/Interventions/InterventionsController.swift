import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Vapor

/// A school's interventions (issue 35): the list with what each did for attendance (before and since, against the
/// target and similar pupils), the form to start one for pupils (chosen from a line of the group analysis, or
/// typed), one intervention with its pupils and sessions, and ending it.
enum InterventionsController {
    typealias Text = (String, [String: String]) -> String

    @Sendable static func list(_ request: Request) async throws -> Response {
        let notice = request.query[String.self, at: "programme"] != nil ? request.text("workshop.saved") : nil
        return try await render(request, notice: notice, error: nil, status: .ok)
    }

    static func render(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let today = request.context.today
        let school = try await store.reference.requireSchool(laestab).school
        // A head of year lists the interventions with pupils of their years; the school's leaders, office and ESW
        // every one.
        var all: [Intervention] = []
        for item in try await store.interventions.interventions(laestab)
        where !(try await visible(item, request: request)).isEmpty {
            all.append(item)
        }
        let measured = try await measure(all, school: school, request: request)
        let names = try await request.names()
        let text: Text = { request.text($0, $1) }
        // Pupils to start one for: a line of the group analysis below target, or those named in the address.
        var chosen: [InterventionsPage.Choice] = []
        var lineLabel: String?
        if let raw = request.query[String.self, at: "breakdown"],
            let breakdown = GroupAnalysis.Breakdown(rawValue: raw),
            let key = request.query[String.self, at: "key"]
        {
            let range = FigureViews.yearToDate(request)
            let target = try await store.targets.target(laestab, for: range.end.academicYear)
            let members = try await store.groups.members(laestab, in: range, breakdown: breakdown, key: key)
            let below = members.filter { AttendanceTarget.isBelow(target, $0.summary) }
            chosen = try await choices(below.map { ($0.pupil, $0.summary) }, request: request, laestab: laestab)
            lineLabel = text(
                "interventions.forLine",
                ["line": GroupAnalysisPage.lineLabel(breakdown, key, text: text), "count": String(chosen.count)])
        } else if let upns = request.query[String.self, at: "pupils"] {
            let wanted = Set(upns.split(separator: ",").compactMap { try? UPN(String($0)) })
            let range = FigureViews.yearToDate(request)
            let lines = try await store.registers.schoolReport(laestab, in: range).filter {
                wanted.contains($0.pupil.upn)
            }
            chosen = try await choices(lines.map { ($0.pupil, $0.summary) }, request: request, laestab: laestab)
        }
        let leaders = try await store.identity.users().filter { user in
            user.isActive
                && user.grants.contains { $0.school == laestab && Intervention.leaderRoles.contains($0.role) }
        }.sorted { $0.displayName < $1.displayName }
        let me = try request.signedIn.user.email
        let programme = try await store.interventions.workshopProgramme(laestab)
        let rows = all.map { item in
            InterventionsPage.Row(
                href: SiteURL.school(.intervention, laestab, id: item.id), kind: kindWords(item, text),
                leader: RecordWords.actor(item.leader, names: names, text: text),
                pupils: String(item.pupils.count), days: daysWords(item, today: today, text),
                sessions: String(item.sessions.count),
                before: measured[item.id].map { $0.figures.before.attendancePercentText } ?? "–",
                after: measured[item.id].map { $0.figures.after.attendancePercentText } ?? "–",
                change: Tenths.pointsText(measured[item.id]?.figures.changeTenths), open: item.isOpen(on: today))
        }
        let page = InterventionsPage(
            title: text("interventions.title", ["school": school.name]), notice: notice, error: error,
            impact: ImpactTable.make(all, measured: measured, text: text),
            rows: rows, hasRows: !rows.isEmpty, noRows: text("interventions.none", [:]), chosen: chosen,
            hasChosen: !chosen.isEmpty, lineLabel: lineLabel,
            kinds: Intervention.Kind.allCases.map {
                InterventionsPage.Option(
                    value: $0.rawValue, label: text("interventions.kind.\($0.rawValue)", [:]),
                    selected: $0 == .mentoring)
            },
            leaders: leaders.map {
                InterventionsPage.Option(value: $0.email, label: $0.displayName, selected: $0.email == me)
            }, action: SiteURL.school(.interventions, laestab), start: today.iso,
            parentsEvening: SiteURL.school(.parentsEvening, laestab),
            programme: (1...WorkshopProgramme.weeks).map { week in
                InterventionsPage.Topic(
                    week: String(week),
                    topic: programme?.topics[week - 1] ?? text("workshop.topic.\(week)", [:]))
            }, programmeAction: SiteURL.school(.workshopProgramme, laestab),
            groupAnalysis: SiteURL.school(.groupAnalysis, laestab))
        return try Page.render(page, request: request, status: status)
    }

    /// Pupils as the start form offers them, ticked: those the user may work on, with their figure.
    static func choices(_ lines: [(Pupil, AttendanceSummary)], request: Request, laestab: LAESTAB) async throws
        -> [InterventionsPage.Choice]
    {
        var result: [InterventionsPage.Choice] = []
        for (pupil, summary) in lines.sorted(by: { $0.0.displayName < $1.0.displayName }) {
            guard let stored = try await request.context.store.reference.pupil(pupil.upn),
                request.mayWorkOn(stored, at: laestab)
            else { continue }
            result.append(
                InterventionsPage.Choice(
                    upn: pupil.upn.value, name: pupil.displayName, form: pupil.registrationGroup,
                    figure: summary.attendancePercentText))
        }
        return result
    }

    static func kindWords(_ item: Intervention, _ text: Text) -> String {
        let kind = text("interventions.kind.\(item.kind.rawValue)", [:])
        return item.title.isEmpty ? kind : "\(kind): \(item.title)"
    }

    static func daysWords(_ item: Intervention, today: LocalDate, _ text: Text) -> String {
        if let end = item.end {
            return text(
                "interventions.fromTo", ["from": DateText.day(item.start, text), "to": DateText.day(end, text)])
        }
        return text("interventions.since", ["from": DateText.day(item.start, text)])
    }

    /// Each intervention's impact (`InterventionRepository.impact`).
    static func measure(_ items: [Intervention], school: School, request: Request) async throws
        -> [Int: InterventionImpact.Measured]
    {
        try await request.context.store.interventions.impact(items, school: school, today: request.context.today)
    }

    /// The start form: the kind, the school's name for it, the lead, the days, notes, and the pupils (ticked,
    /// `pupil-UPN`, and typed, `upns`).
    struct StartForm: Form {
        let kind: Intervention.Kind
        let title: String
        let leader: String
        let start: LocalDate
        let end: LocalDate?
        let notes: String
        let pupils: [UPN]
        /// A workshop's first session: its time and place, for the invitations.
        let time: String
        let place: String

        init(_ fields: FormFields) throws {
            kind = try fields.choice("kind")
            time = try fields.words("time", limit: 40, required: kind == .workshop)
            place = try fields.words("place", limit: 120, required: kind == .workshop)
            title = try fields.words("title", limit: Intervention.titleLimit)
            leader = try fields.words("leader", limit: 200, required: true)
            start = try fields.date("start")
            end = try fields.optionalDate("end")
            notes = try fields.words("notes", limit: Intervention.notesLimit)
            var pupils = fields.names.filter { $0.hasPrefix("pupil-") && fields.raw($0) == "1" }.sorted()
                .compactMap { try? UPN(String($0.dropFirst("pupil-".count))) }
            for typed in fields.raw("upns").split(whereSeparator: { ", \n\r\t".contains($0) }) {
                guard let upn = try? UPN(String(typed)) else {
                    throw WebError.badField("upns", .notRecognised(String(typed)))
                }
                pupils.append(upn)
            }
            self.pupils = pupils
        }

        static let labels = [
            "kind": "interventions.kindLabel", "title": "interventions.name", "leader": "interventions.leader",
            "start": "interventions.start", "end": "interventions.end", "notes": "interventions.notes",
            "upns": "interventions.upns", "time": "interventions.time", "place": "interventions.place",
        ]
    }

    @Sendable static func start(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let form = try request.form(StartForm.self)
        let store = request.context.store
        let today = request.context.today
        // Only pupils on the school's roll the user may work on (a head of year: their years).
        for upn in form.pupils {
            guard let stored = try await store.reference.pupil(upn), request.mayWorkOn(stored, at: laestab) else {
                throw WebError.badField("upns", .notRecognised(upn.value), label: StartForm.labels["upns"])
            }
        }
        let draft: Intervention.Draft
        do {
            draft = try Intervention.Draft(
                kind: form.kind, title: form.title, leader: form.leader, pupils: form.pupils, start: form.start,
                end: form.end, notes: form.notes, today: today)
        } catch { throw StoreError.intervention(error) }
        let id = try await store.interventions.start(draft, school: laestab, today: today, by: request.actor)
        guard form.kind == .workshop else {
            return Page.redirect(SiteURL.school(.intervention, laestab, id: id, query: ["started": "1"]))
        }
        // Each pupil's parents are invited in their language; a pupil with no contact to write to is counted.
        let details = ["meeting_date": form.start.iso, "meeting_time": form.time, "meeting_place": form.place]
        let signatory = try request.signedIn.user.displayName
        var unwritten = 0
        for upn in draft.pupils {
            do {
                _ = try await request.context.letters.produce(
                    .workshopInvitation, for: upn, school: laestab, details: details, today: today,
                    by: request.actor, signatory: signatory)
            } catch LetterProblem.noContact {
                unwritten += 1
            }
        }
        sendInBackground(request.context.letters, logger: request.logger)
        return Page.redirect(
            SiteURL.school(
                .intervention, laestab, id: id, query: ["started": "1", "unwritten": String(unwritten)]))
    }

    /// The school's six workshop topics (`topic-1` … `topic-6`).
    struct ProgrammeForm: Form {
        let programme: WorkshopProgramme

        init(_ fields: FormFields) throws {
            var topics: [String] = []
            for week in 1...WorkshopProgramme.weeks {
                topics.append(try fields.words("topic-\(week)", limit: Intervention.titleLimit, required: true))
            }
            do { programme = try WorkshopProgramme(topics: topics) } catch {
                throw WebError.badField("topic-1", .missingOrInvalid)
            }
        }
    }

    @Sendable static func saveProgramme(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let form = try request.form(ProgrammeForm.self)
        try await request.context.store.interventions.setWorkshopProgramme(
            form.programme, school: laestab, by: request.actor)
        return Page.redirect(SiteURL.school(.interventions, laestab, query: ["programme": "1"]) + "#programme")
    }

    @Sendable static func detail(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: Int.self),
            let item = try await request.context.store.interventions.intervention(id), item.school == laestab
        else { throw Abort(.notFound) }
        let store = request.context.store
        let today = request.context.today
        let school = try await store.reference.requireSchool(laestab).school
        let text: Text = { request.text($0, $1) }
        let measured = try await measure([item], school: school, request: request)[item.id]
        // A head of year sees the pupils of their years; an intervention with none of them is not theirs to open.
        let shown = try await visible(item, request: request)
        guard !shown.isEmpty else { throw Abort(.forbidden) }
        let pupils = try await store.reference.pupils(shown)
        let roll = try await store.registers.rollYears(laestab, year: item.start.academicYear)
        let names = try await request.names()
        var notice: String?
        for key in ["started", "session", "ended"] where request.query[String.self, at: key] != nil {
            notice = text("interventions.\(key)", [:])
        }
        if item.kind == .workshop, let unwritten = request.query[String.self, at: "unwritten"].flatMap(Int.init) {
            notice = text(
                "interventions.invited",
                ["sent": String(max(0, item.pupils.count - unwritten)), "unwritten": String(unwritten)])
        }
        var topic = ""
        if item.kind == .workshop {
            let programme = try await store.interventions.workshopProgramme(laestab)
            let week = item.sessions.count
            if week < WorkshopProgramme.weeks {
                topic = programme?.topics[week] ?? text("workshop.topic.\(week + 1)", [:])
            }
        }
        // A workshop's last session rewards the pupils whose attendance improved over its weeks, by the rewards'
        // own rule (the reports issue's "most improved").
        var improved: [String]?
        if item.kind == .workshop, let measured {
            improved = Self.improved(item, shown: shown, roll: roll, windows: measured.windows, store: store)
                .compactMap { pupils[$0]?.displayName }.sorted()
        }
        let page = InterventionPage(
            title: kindWords(item, text), notice: notice,
            leader: RecordWords.actor(item.leader, names: names, text: text),
            days: daysWords(item, today: today, text),
            started: text(
                "interventions.startedBy",
                [
                    "by": RecordWords.actor(item.createdBy, names: names, text: text),
                    "when": DateText.moment(stored: item.createdAt, text),
                ]),
            notes: item.notes.isEmpty ? nil : item.notes,
            impact: measured.map { ImpactTable.summary($0, text: text) },
            noImpact: measured == nil ? text("interventions.noImpact", [:]) : nil,
            pupils: shown.map { upn in
                let entry = roll.first { $0.pupil.upn == upn }
                let figures = measured.flatMap { m in
                    entry.map {
                        InterventionImpact.figures(
                            [$0], windows: m.windows, table: store.codes, rules: store.rules)
                    }
                }
                return InterventionPage.PupilRow(
                    upn: upn.value, name: pupils[upn]?.displayName ?? upn.value, href: SiteURL.pupil(upn),
                    form: pupils[upn]?.registrationGroup ?? "",
                    before: figures?.before.attendancePercentText ?? "–",
                    after: figures?.after.attendancePercentText ?? "–",
                    change: Tenths.pointsText(figures?.changeTenths),
                    came: String(item.sessions.filter { $0.attended.contains(upn) }.count))
            },
            sessions: item.sessions.map { session in
                InterventionPage.SessionRow(
                    on: DateText.day(session.on, text), topic: session.topic,
                    came: session.attended.compactMap { pupils[$0]?.displayName }.sorted().joined(separator: ", "),
                    count: "\(session.attended.count)/\(item.pupils.count)")
            },
            hasSessions: !item.sessions.isEmpty, noSessions: text("interventions.noSessions", [:]),
            sessionAction: SiteURL.school(.interventionSession, laestab, id: item.id), today: today.iso,
            topic: topic,
            endAction: item.end == nil ? SiteURL.school(.endIntervention, laestab, id: item.id) : nil,
            improved: improved, hasImproved: !(improved ?? []).isEmpty,
            certificatesAction: SiteURL.school(.interventionCertificates, laestab, id: item.id),
            rewardRule: text(
                "interventions.rewardRule",
                [
                    "points": RewardsPage.points(Rewards.minimumRiseTenths),
                    "sessions": String(Rewards.minimumSessions),
                ]),
            back: SiteURL.school(.interventions, laestab))
        return try Page.render(page, request: request)
    }

    /// The intervention's pupils the user may work on (all of them for the school's leaders, office and ESW).
    static func visible(_ item: Intervention, request: Request) async throws -> [UPN] {
        var shown: [UPN] = []
        for upn in item.pupils {
            if let stored = try await request.context.store.reference.pupil(upn),
                request.mayWorkOn(stored, at: item.school)
            {
                shown.append(upn)
            }
        }
        return shown
    }

    /// One of the school's interventions that the user may work on some pupil of; 404 or 403 otherwise.
    static func found(_ request: Request, _ laestab: LAESTAB, _ id: Int) async throws -> Intervention {
        guard let item = try await request.context.store.interventions.intervention(id), item.school == laestab
        else { throw Abort(.notFound) }
        guard !(try await visible(item, request: request)).isEmpty else { throw Abort(.forbidden) }
        return item
    }

    /// The pupils whose attendance since the start rose enough over the weeks before (`Rewards.isMostImproved`).
    static func improved(
        _ item: Intervention, shown: [UPN], roll: [RollYear], windows: InterventionImpact.Windows,
        store: Store
    ) -> [UPN] {
        shown.filter { upn in
            guard let entry = roll.first(where: { $0.pupil.upn == upn }) else { return false }
            let figures = InterventionImpact.figures(
                [entry], windows: windows, table: store.codes, rules: store.rules)
            return Rewards.isMostImproved(earlier: figures.before, later: figures.after)
        }
    }

    /// Improvement certificates for a workshop's improved pupils, as one batch of kept letters.
    @Sendable static func certificates(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: Int.self) else {
            throw Abort(.notFound)
        }
        let item = try await found(request, laestab, id)
        let store = request.context.store
        let today = request.context.today
        let school = try await store.reference.requireSchool(laestab).school
        guard item.kind == .workshop,
            let windows = InterventionImpact.windows(
                start: item.start, end: item.end, today: today,
                calendar: try await store.reference.calendar(for: school))
        else { throw Abort(.notFound) }
        let roll = try await store.registers.rollYears(laestab, year: item.start.academicYear)
        let chosen = improved(
            item, shown: try await visible(item, request: request), roll: roll, windows: windows, store: store)
        guard !chosen.isEmpty else { throw WebError.refused(.letterLacks(.notImproved)) }
        let made = try await request.context.letters.produceCertificates(
            .improvementCertificate, for: chosen, school: laestab,
            details: [
                "reward_from": windows.after.start.iso, "reward_to": windows.after.end.iso,
                "earlier_from": windows.before.start.iso, "earlier_to": windows.before.end.iso,
            ], today: today, by: request.actor, signatory: try request.signedIn.user.displayName)
        sendInBackground(request.context.letters, logger: request.logger)
        return Page.redirect(
            SiteURL.letterBatch.path(
                ["laestab": laestab.description, "batch": made.batch.id],
                query: [
                    "needing": "0", "skipped": String(made.batch.withoutContact), "waiting": String(made.batch.waiting),
                ]))
    }

    /// A session held: its day, topic, and the pupils who came (`came-UPN`).
    struct SessionForm: Form {
        let on: LocalDate
        let topic: String
        let came: Set<UPN>

        init(_ fields: FormFields) throws {
            on = try fields.date("on")
            topic = try fields.words("topic", limit: Intervention.titleLimit, required: true)
            came = Set(
                fields.names.filter { $0.hasPrefix("came-") && fields.raw($0) == "1" }
                    .compactMap { try? UPN(String($0.dropFirst("came-".count))) })
        }

        static let labels = ["on": "interventions.sessionOn", "topic": "interventions.topic"]
    }

    @Sendable static func session(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: Int.self) else {
            throw Abort(.notFound)
        }
        let form = try request.form(SessionForm.self)
        let item = try await found(request, laestab, id)
        let shown = Set(try await visible(item, request: request))
        try await request.context.store.interventions.recordSession(
            intervention: id, school: laestab, on: form.on, topic: form.topic, attended: form.came.intersection(shown),
            today: request.context.today, by: request.actor)
        return Page.redirect(SiteURL.school(.intervention, laestab, id: id, query: ["session": "1"]))
    }

    struct EndForm: Form {
        let on: LocalDate

        init(_ fields: FormFields) throws { on = try fields.date("on") }

        static let labels = ["on": "interventions.endOn"]
    }

    @Sendable static func end(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: Int.self) else {
            throw Abort(.notFound)
        }
        let form = try request.form(EndForm.self)
        _ = try await found(request, laestab, id)
        try await request.context.store.interventions.end(
            intervention: id, school: laestab, on: form.on, today: request.context.today, by: request.actor)
        return Page.redirect(SiteURL.school(.intervention, laestab, id: id, query: ["ended": "1"]))
    }
}
