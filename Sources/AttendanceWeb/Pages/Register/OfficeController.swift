import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Vapor

/// The attendance administrator's day: registers still missing marks after they closed (with the form tutor
/// named), today's absences with no reason and every contact in order, and the late book.
enum OfficeController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        // Each step says what it did (issue 33, point 5).
        var notice = request.query[String.self, at: "logged"] != nil ? request.text("contact.logged") : nil
        if request.query[String.self, at: "matched"] != nil { notice = request.text("patrol.matched") }
        switch request.query[String.self, at: "confirmed"] {
        case "report": notice = request.text("office.reportConfirmed")
        case "reason": notice = request.text("office.reasonConfirmed")
        default: break
        }
        return try await renderDay(request, notice: notice, error: nil, status: .ok)
    }

    static func renderDay(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let school = try await store.reference.requireSchool(laestab)
        let accounts = try await request.names()
        let date = try request.queryDate("date") ?? request.context.today
        let calendar = try await store.reference.calendar(for: school.school)
        let tutors = try await store.registers.formTutors(of: laestab)
        // A session's marks are missing once its register has closed (or the day is past).
        let now = request.context.now
        var missing: [OfficeDayPage.Missing] = []
        if calendar.isSchoolDay(date) {
            for group in try await store.registers.registerGroups(school: school.school.laestab, on: date) {
                for half in SessionHalf.allCases where !group.isTaken(half) {
                    let closed =
                        date < now.date || (date == now.date && now.time >= school.school.times(for: half).close)
                    guard closed else { continue }
                    let names = tutors[group.group] ?? []
                    missing.append(
                        OfficeDayPage.Missing(
                            line: request.text(
                                "office.missingLine",
                                [
                                    "group": group.group, "session": RegisterController.sessionName(half, request),
                                    "count": String(group.onRoll - group.marked(half)),
                                ]),
                            tutor: names.isEmpty
                                ? request.text("office.noTutor")
                                : request.text("office.tutor", ["names": names.joined(separator: ", ")]),
                            href: SiteURL.register(laestab, group: group.group, date: date, half: half)))
                }
            }
        }
        var absent: [OfficeDayPage.Absent] = []
        let reported = try await store.leave.absenceReports(school: laestab, on: date)
        let attempts = try await store.procedure.contactAttempts(school: school.school.laestab, on: date)
        let language = request.language
        let reasonCodes = store.codes.codes.filter { $0.category == .authorised || $0.category == .unauthorised }
            .filter { !$0.means(.noReasonYet) && !$0.means(.lateAfterClose) }
            .map { OfficeDayPage.ReasonCode(code: $0.code, name: $0.name(in: language)) }
        for entry in try await store.registers.pupils(
            withMeaning: .noReasonYet, school: school.school.laestab, on: date)
        {
            let people = try await store.contacts.contacts(of: entry.pupil.upn)
            let contacts = people.map { ContactWords.line($0, text: request.text) }
            absent.append(
                OfficeDayPage.Absent(
                    upn: entry.pupil.upn.value, pupilHref: SiteURL.pupil(entry.pupil.upn),
                    name: entry.pupil.displayName, group: entry.pupil.registrationGroup,
                    sessions: entry.sessions.map { RegisterController.sessionName($0, request) }.joined(
                        separator: ", "),
                    contacts: contacts, contactNames: people.map(\.name),
                    attempts: reported.filter { $0.upn == entry.pupil.upn }.map {
                        request.text(
                            "office.reportedByParent",
                            ["report": FamilyWords.report($0, names: accounts, text: request.text)])
                    } + attempts.filter { $0.upn == entry.pupil.upn }.map(describe(request, names: accounts)),
                    contactAction: SiteURL.school(.logContact, laestab, query: ["date": date.iso]),
                    methods: ContactAttempt.Method.allCases.map {
                        Option(value: $0.rawValue, label: request.text("contact.method.\($0.rawValue)"))
                    },
                    outcomes: ContactAttempt.Outcome.allCases.map {
                        Option(value: $0.rawValue, label: request.text("contact.outcome.\($0.rawValue)"))
                    }, reasonCodes: reasonCodes))
        }
        let canConfirm = try request.signedIn.allows(.authoriseAbsence, .school(laestab))
        let proposals = attempts.filter { $0.proposedCode != nil && $0.confirmedBy == nil }.map { attempt in
            OfficeDayPage.Proposal(
                text: describe(request, names: accounts)(attempt),
                confirmAction: SiteURL.school(.confirmReason, laestab, id: attempt.id, query: ["date": date.iso]),
                confirmLabel: request.text("contact.confirm", ["code": attempt.proposedCode ?? ""]),
                canConfirm: canConfirm)
        }
        var reports: [OfficeDayPage.Report] = []
        for report in reported {
            guard let pupil = try await store.reference.pupil(report.upn)?.pupil else { continue }
            let chosen = report.confirmedCode ?? report.proposedCode ?? ""
            reports.append(
                OfficeDayPage.Report(
                    id: report.id, name: pupil.displayName, pupilHref: SiteURL.pupil(report.upn),
                    group: pupil.registrationGroup,
                    text: FamilyWords.report(report, names: accounts, text: request.text),
                    status: report.confirmedCode.map {
                        request.text("family.confirmed", ["code": $0]) + " ("
                            + RecordWords.actor(report.confirmedBy ?? "", names: accounts, text: request.text) + ")"
                    }
                        ?? request.text(
                            "office.reportProposes",
                            ["code": report.proposedCode ?? request.text("office.reportNoCode")]),
                    confirmAction: canConfirm && report.confirmedBy == nil
                        ? SiteURL.school(.confirmReport, laestab, id: report.id, query: ["date": date.iso]) : nil,
                    codes: reasonCodes.map {
                        Chosen(value: $0.code, label: "\($0.code) – \($0.name)", selected: $0.code == chosen)
                    }, confirmLabel: request.text("office.reportConfirm")))
        }
        // Contact details a person changed (a parent on their page) in the last two weeks: the MIS's imports are
        // the office's own.
        let changes = try await store.auditTrail.search(
            AuditQuery(schools: [laestab], from: date.adding(days: -14), limit: 200)
        ).filter { $0.action == "contact.updated" && $0.actor.contains("@") }
        let changedPupils = try await PupilNames.of(Set(changes.compactMap(\.upn)), request)
        let changeLines = changes.map { event in
            request.text(
                "office.contactChange",
                [
                    "when": DateText.moment(event.at, request.text),
                    "pupil": event.upn.map { changedPupils[$0] ?? $0.value } ?? "",
                    "by": RecordWords.actor(event.actor, names: accounts, text: request.text),
                    "before": AuditWords.state(event.before, text: request.text),
                    "after": AuditWords.state(event.after, text: request.text),
                ])
        }
        let found = try await store.esw.patrolEntries(school: laestab, on: date)
        let patrolled = try await PupilNames.of(Set(found.compactMap(\.upn)), request)
        let patrols = found.map {
            PatrolWords.line(
                $0, names: accounts, matched: $0.upn.map { patrolled[$0] ?? $0.value }, text: request.text)
        }
        let candidates = try await CandidateLine.make(
            try await store.roll.missingEducationCandidates(
                policy: request.context.policy, school: laestab, today: request.context.today), request: request)
        let page = OfficeDayPage.make(
            date: date, missing: missing, absent: absent, proposals: proposals, reports: reports, changes: changeLines,
            patrols: patrols, candidates: candidates,
            unmatched: try await PatrolController.unmatched(request, school: laestab, today: request.context.today),
            firstDayAction: request.context.letters.canSend ? SiteURL.school(.firstDayMessages, laestab) : nil,
            day: dayPicker(request, laestab, date: date, calendar: calendar),
            coming: try await coming(request, laestab, after: date, calendar: calendar),
            notice: notice, error: error, text: { request.text($0, $1) })
        return try Page.render(page, request: request, status: status)
    }

    /// The day shown, with a step to the school day before and after it.
    static func dayPicker(_ request: Request, _ laestab: LAESTAB, date: LocalDate, calendar: SchoolCalendar)
        -> OfficeDayPage.DayPicker
    {
        let previous = calendar.schoolDay(before: date)
        let next = calendar.schoolDay(after: date)
        func href(_ day: LocalDate) -> String { SiteURL.school(.office, laestab, query: ["date": day.iso]) }
        return OfficeDayPage.DayPicker(
            date: date.iso, action: SiteURL.school(.office, laestab), previousHref: previous.map(href),
            previousLabel: previous.map {
                request.text("office.previousDay", ["date": DateText.day($0, request.text)])
            },
            nextHref: next.map(href),
            nextLabel: next.map { request.text("office.nextDay", ["date": DateText.day($0, request.text)]) },
            notASchoolDay: calendar.isSchoolDay(date)
                ? nil : request.text("office.notASchoolDay", ["date": DateText.day(date, request.text)]))
    }

    /// The next few school days after the one shown that have parents' reports, each with who reported.
    static func coming(_ request: Request, _ laestab: LAESTAB, after date: LocalDate, calendar: SchoolCalendar)
        async throws -> [OfficeDayPage.Coming]
    {
        let store = request.context.store
        var coming: [OfficeDayPage.Coming] = []
        var day = date
        for _ in 0..<5 {
            guard let next = calendar.schoolDay(after: day) else { break }
            day = next
            let reports = try await store.leave.absenceReports(school: laestab, on: day)
            guard !reports.isEmpty else { continue }
            let pupils = try await store.reference.pupils(reports.map(\.upn))
            // A pupil with two reports for the day (a morning, then the whole day) is named once.
            var named = Set<UPN>()
            let names = reports.filter { named.insert($0.upn).inserted }.compactMap { pupils[$0.upn]?.displayName }
            coming.append(
                OfficeDayPage.Coming(
                    href: SiteURL.school(.office, laestab, query: ["date": day.iso]),
                    line: request.text(
                        "office.comingLine",
                        ["date": DateText.day(day, request.text), "names": names.joined(separator: ", ")])))
        }
        return coming
    }

    /// The head or a delegate confirms a parent's report with the code they choose.
    @Sendable static func confirmReport(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id").flatMap({ Int($0) })
        else { throw Abort(.notFound) }
        let code = (try? request.content.get(String.self, at: "code")) ?? ""
        do {
            try await request.context.store.leave.confirmAbsenceReport(
                id, school: laestab, code: code, by: request.actor)
        } catch StoreError.evidenceRequired {
            return try await renderDay(
                request, notice: nil, error: request.text("contact.needsEvidence"), status: .unprocessableEntity)
        } catch StoreError.unknownCode {
            return try await renderDay(
                request, notice: nil, error: request.text("register.unknownCode", ["code": code]),
                status: .unprocessableEntity)
        }
        let date = request.query[String.self, at: "date"] ?? request.context.today.iso
        return Page.redirect(SiteURL.school(.office, laestab, query: ["date": date, "confirmed": "report"]))
    }

    static func describe(_ request: Request, names: [String: String]) -> (ContactAttempt) -> String {
        { a in
            let who = { (stored: String) in RecordWords.actor(stored, names: names, text: request.text) }
            var text =
                "\(request.text("contact.method.\(a.method.rawValue)")), \(a.contactName): "
                + request.text("contact.outcome.\(a.outcome.rawValue)") + " (\(who(a.recordedBy)))"
            if let notes = a.notes, !notes.isEmpty { text += ". \(notes)" }
            if let code = a.proposedCode { text += " → \(code)" }
            if let by = a.confirmedBy { text += ", " + request.text("contact.confirmed", ["name": who(by)]) }
            return text
        }
    }

    @Sendable static func logContact(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let form = try request.form(ContactForm.self)
        let store = request.context.store
        let school = try await store.reference.requireSchool(laestab)
        // Only the school the pupil is on the roll of chases their absence.
        guard let pupil = try await store.reference.pupil(form.upn), request.mayWorkOn(pupil, at: laestab) else {
            throw Abort(.forbidden)
        }
        // The day the office page is showing, else the form's, else today.
        var date = form.date ?? request.context.today
        if let asked = request.query[String.self, at: "date"], !asked.isEmpty {
            guard let day = LocalDate(entered: asked) else { throw WebError.badField("date", .notADate(asked)) }
            date = day
        }
        guard date <= request.context.today else {
            throw WebError.badField("date", .future)
        }
        if let code = form.code, store.codes[code] == nil {
            throw WebError.badField("code", .unknownCode(code))
        }
        try await store.procedure.logContactAttempt(
            upn: form.upn, school: school.school.laestab, date: date, method: form.method, contactName: form.contact,
            outcome: form.outcome, notes: form.notes, proposedCode: form.code, by: request.actor)
        return Page.redirect(SiteURL.school(.office, laestab, query: ["date": date.iso, "logged": "1"]))
    }

    @Sendable static func confirm(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: Int.self) else {
            throw Abort(.notFound)
        }
        guard try request.signedIn.allows(.authoriseAbsence, .school(laestab)) else {
            return try await renderDay(
                request, notice: nil, error: request.text("contact.onlyHead"), status: .forbidden)
        }
        let store = request.context.store
        let school = try await store.reference.requireSchool(laestab)
        do {
            try await store.procedure.confirmProposal(attemptID: id, school: school.school.laestab, by: request.actor)
        } catch StoreError.notFound {
            throw Abort(.notFound)
        } catch StoreError.evidenceRequired {
            return try await renderDay(
                request, notice: nil, error: request.text("contact.needsEvidence"),
                status: .unprocessableEntity)
        }
        let date = request.query[String.self, at: "date"] ?? request.context.today.iso
        return Page.redirect(SiteURL.school(.office, laestab, query: ["date": date, "confirmed": "reason"]))
    }

    // MARK: Late book

    @Sendable static func lateBook(_ request: Request) async throws -> Response {
        let date = try request.queryDate("date") ?? request.context.today
        return try await renderLateBook(
            request, date: date, pupil: "", arrival: "", notice: nil, error: nil, status: .ok)
    }

    static func renderLateBook(
        _ request: Request, date: LocalDate, pupil: String, arrival: String, notice: String?, error: String?,
        status: HTTPStatus
    ) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let school = try await store.reference.requireSchool(laestab).school
        let page = LateBookPage.make(
            school: school, date: date, pupil: pupil, arrival: arrival,
            roll: try await store.reference.onRoll(laestab, on: date),
            arrivals: try await store.registers.lateArrivals(laestab, on: date), notice: notice, error: error,
            text: request.text)
        return try Page.render(page, request: request, status: status)
    }

    /// A pupil arriving late: found by the name the list offered (or a UPN), on a school day up to today, at a
    /// time after the session started. Everything typed stays on the page when something is refused.
    @Sendable static func recordArrival(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let form = try request.form(LateArrivalForm.self)
        let pupilText = form.pupil
        let arrivalText = form.arrival
        let today = request.context.today
        let date = form.date
        func fail(_ key: String) async throws -> Response {
            try await renderLateBook(
                request, date: date ?? today, pupil: pupilText, arrival: arrivalText, notice: nil,
                error: request.text(key), status: .unprocessableEntity)
        }
        let school = try await store.reference.requireSchool(laestab)
        guard let date, date <= today, try await store.reference.calendar(for: school.school).isSchoolDay(date) else {
            return try await fail("late.badDate")
        }
        guard let arrival = TimeOfDay(text: arrivalText) else { return try await fail("late.badTime") }
        // The session is the afternoon once it has started, else the morning.
        let half: SessionHalf = arrival >= school.school.pm.start ? .pm : .am
        let times = school.school.times(for: half)
        guard arrival > times.start else { return try await fail("late.badTime") }
        // The list's text ends with the UPN; a UPN typed alone is found the same way.
        let roll = try await store.reference.onRoll(laestab, on: date)
        let typed = pupilText.split(whereSeparator: { $0 == " " || $0 == "–" }).last.map { $0.uppercased() } ?? ""
        guard let pupil = roll.first(where: { $0.upn.value == typed }),
            let line = try await store.registers.registerLines(
                school: laestab, group: pupil.registrationGroup, session: SchoolSession(date, half)
            ).first(where: { $0.pupil.upn == pupil.upn })
        else { return try await fail("late.badPupil") }
        let minutes = times.minutesLate(arrivingAt: arrival)
        let code = RegisterRules.lateCode(minutesLate: minutes, times: times, codes: store.codes)
        let entry = SchoolMark(
            school: laestab,
            mark: Mark(
                upn: pupil.upn, session: SchoolSession(date, half), code: code.code, minutesLate: minutes,
                note: "late book"))
        // A pupil marked absent at the register who then arrives is a correction, with the late book as its reason.
        try await store.registers.writeMarks(
            [entry], by: request.actor,
            reason: line.mark == nil ? nil : AmendmentReason.lateBook(arrived: arrival.description).stored)
        return try await renderLateBook(
            request, date: date, pupil: "", arrival: "",
            notice: request.text(
                "late.recorded", ["name": line.pupil.displayName, "code": code.code, "minutes": String(minutes)]),
            error: nil, status: .ok)
    }
}
