import AttendanceCore
import AttendanceStore
import Vapor

/// Taking the register: the list of today's registers, the register itself, and saving it in one transaction.
enum RegisterController {
    static func sessionName(_ half: SessionHalf, _ request: Request) -> String {
        request.text("session.\(half.rawValue)")
    }

    // MARK: My registers

    @Sendable static func list(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        let store = request.context.store
        let schoolsByLAESTAB = Dictionary(
            try await store.reference.schools().map { ($0.school.laestab, $0.school) }, uniquingKeysWith: { a, _ in a })
        var mine: [(school: School, calendar: SchoolCalendar)] = []
        for laestab in Set(principal.grants.compactMap(\.school)).sorted() {
            guard let school = schoolsByLAESTAB[laestab] else { continue }
            mine.append((school, try await store.reference.calendar(for: school)))
        }
        // Asked for a day, that day; otherwise today, or when today is not a school day anywhere here, the last
        // school day (the registers a tutor most likely means on a weekend or in a holiday).
        let today = request.context.today
        var date = try request.queryDate("date") ?? today
        if try request.queryDate("date") == nil, !mine.contains(where: { $0.calendar.isSchoolDay(today) }) {
            date = mine.compactMap { $0.calendar.lastSchoolDay(onOrBefore: today) }.max() ?? today
        }
        var schools: [RegistersPage.Registers] = []
        for (school, calendar) in mine {
            var groups: [(group: RegisterGroup, mayTake: Bool)] = []
            for group in try await store.registers.registerGroups(school: school.laestab, on: date) {
                let placement = AccessTarget.registrationGroup(
                    GroupPlacement(school: school.laestab, group: group.group, yearGroups: group.yearGroups))
                guard principal.allows(.viewRegister, placement) else { continue }
                groups.append((group, principal.allows(.takeRegister, placement)))
            }
            schools.append(
                RegistersPage.Registers(
                    school: school, isSchoolDay: calendar.isSchoolDay(date),
                    mayManage: principal.allows(.manageAttendance, .school(school.laestab)), groups: groups))
        }
        let page = RegistersPage.make(
            date: date, schools: schools,
            saved: request.query[String.self, at: "saved"].map {
                ($0, request.query[String.self, at: "session"].flatMap(SessionHalf.init(text:)))
            }, names: try await request.names(), text: request.text)
        return try Page.render(page, request: request)
    }

    // MARK: The register

    struct Context {
        let school: StoredSchool
        let group: String
        let session: SchoolSession
        let lines: [RegisterLine]
        let calendar: SchoolCalendar
    }

    /// The register the address names. A date that cannot be read (or is outside 1990–2100) is a bad request
    /// saying so; a session that cannot be read, or a form with nobody on roll that day, is a plain "not found"
    /// saying which; never an empty register.
    static func context(_ request: Request) async throws -> Context {
        guard case .registrationGroup(let placement) = request.target else { throw Abort(.notFound) }
        guard let date = request.parameters.get("date").flatMap({ LocalDate(entered: $0) }) else {
            throw WebError.refused(.registerBadDate)
        }
        guard let half = request.parameters.get("session").flatMap({ SessionHalf(text: $0) }) else {
            throw WebError.refused(.registerBadSession)
        }
        let store = request.context.store
        let school = try await store.reference.requireSchool(placement.school)
        let session = SchoolSession(date, half)
        // The lines the authorisation read, once: a second call (the page again after a conflicting save) reads
        // the register as it stands now.
        let lines: [RegisterLine]
        if let read = request.storage[RegisterLinesKey.self] {
            lines = read
            request.storage[RegisterLinesKey.self] = nil
        } else {
            lines = try await store.registers.registerLines(
                school: school.school.laestab, group: placement.group, session: session)
        }
        guard !lines.isEmpty else { throw WebError.refused(.registerNoGroup) }
        return Context(
            school: school, group: placement.group, session: session, lines: lines,
            calendar: try await store.reference.calendar(for: school.school))
    }

    /// What the user chose for one pupil, as the form sent it.
    struct Choice {
        var kind: String?
        var minutes: String?
        var other: String?
        var seen: String?
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        // The day picker asks for another day of the same register.
        if let picked = try request.queryDate("date"), case .registrationGroup(let placement) = request.target,
            let half = request.parameters.get("session").flatMap({ SessionHalf(text: $0) })
        {
            return Page.redirect(SiteURL.register(placement.school, group: placement.group, date: picked, half: half))
        }
        let context = try await context(request)
        return try render(request, context, asked: RegisterPage.Asked(), status: .ok)
    }

    static func render(
        _ request: Request, _ context: Context, asked: RegisterPage.Asked, status: HTTPStatus
    ) throws -> Response {
        let codes = request.context.store.codes
        let principal = try request.signedIn
        let laestab = context.school.school.laestab
        let registerOnly = registerCodesOnly(principal, laestab)
        let absent = codes.code(meaning: .noReasonYet)
        // Besides present (either half's: the other half's is never right here), late and no reason yet: the codes
        // this user may give here. A form tutor, using the register's own codes, has none: no "Other" is offered.
        let otherCodes = codes.codes.filter { code in
            !(code.category == .present && code.meanings.isEmpty) && !code.isLate && code.code != absent?.code
                && (!registerOnly || code.usableAtRegister)
                && (!code.requiresAuthorisation || principal.allows(.authoriseAbsence, .school(laestab)))
        }
        let page = RegisterPage.make(
            school: context.school, group: context.group, session: context.session, lines: context.lines,
            codes: codes, otherCodes: otherCodes, registerCodesOnly: registerOnly, asked: asked,
            day: RegisterPage.Day(
                calendar: context.calendar, date: context.session.date, today: request.context.today,
                lockGrace: request.context.policy.casework.registerLockGraceSchoolDays),
            changer: changer(principal, laestab), language: request.language, text: request.text)
        return try Page.render(page, request: request, status: status)
    }

    /// Pupils for whom the chosen illness or appointment code needs medical evidence not yet recorded (Letter 3
    /// went before this session). Asked only for the few pupils given such a code.
    static func evidenceMissing(_ request: Request, _ context: Context, choices: [UPN: Choice]) async throws
        -> Set<UPN>
    {
        let codes = request.context.store.codes
        let store = request.context.store
        var missing = Set<UPN>()
        for (upn, choice) in choices where choice.kind == "other" {
            guard let code = choice.other.flatMap({ codes[$0] }), code.means(.illness) || code.means(.medical) else {
                continue
            }
            let date = context.session.date
            let sent = try await store.medical.letter3Sent(
                upn: upn, school: context.school.school.laestab, year: date.academicYear)
            let evidence = try await store.medical.medicalEvidence(of: upn).map(\.days)
            if MedicalEvidenceRule.needsEvidence(code, on: date, letter3Sent: sent, evidence: evidence) {
                missing.insert(upn)
            }
        }
        return missing
    }

    /// Who is changing a register, for its lock: one who may authorise absence, the office, or anyone else.
    static func changer(_ principal: Principal, _ school: LAESTAB) -> RegisterLock.Changer {
        if principal.allows(.authoriseAbsence, .school(school)) { return .authoriser }
        let office = principal.grants.contains {
            $0.school == school && [.attendanceAdministrator, .seniorManagement].contains($0.role)
        }
        return office ? .office : .other
    }

    /// A user whose only role at the school is form tutor uses the register's own codes.
    static func registerCodesOnly(_ principal: Principal, _ school: LAESTAB) -> Bool {
        !principal.grants.contains {
            $0.school == school && [.attendanceAdministrator, .seniorManagement, .headTeacher].contains($0.role)
        }
    }

    /// Turns what the user chose into marks to write, checking each against the rules; shared by the page and
    /// the API. Pupils with no choice are left as they are.
    static func plan(
        _ context: Context, choices: [UPN: Choice], principal: Principal, request: Request,
        evidenceMissing: Set<UPN> = []
    ) -> (entries: [SchoolMark], errors: [UPN: String], changesExisting: Bool, locked: Bool) {
        let codes = request.context.store.codes
        let laestab = context.school.school.laestab
        let canAuthorise = principal.allows(.authoriseAbsence, .school(laestab))
        let registerOnly = registerCodesOnly(principal, laestab)
        let times = context.school.school.times(for: context.session.half)
        let begun = RegisterRules.hasBegun(context.session, times: times, now: request.context.now)
        let locked = RegisterLock.isLocked(
            context.session.date, today: request.context.today, calendar: context.calendar,
            grace: request.context.policy.casework.registerLockGraceSchoolDays)
        let changer = changer(principal, laestab)
        var errors: [UPN: String] = [:]
        var entries: [SchoolMark] = []
        var changesExisting = false
        for line in context.lines {
            guard let choice = choices[line.pupil.upn], let kind = choice.kind, !kind.isEmpty else { continue }
            var code: AttendanceCode?
            var minutes: Int?
            switch kind {
            case "present": code = RegisterRules.presentCode(for: context.session.half, codes: codes)
            case "absent": code = codes.code(meaning: .noReasonYet)
            case "late":
                guard let late = choice.minutes.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
                    (1...600).contains(late)
                else {
                    errors[line.pupil.upn] = request.text("register.needMinutes")
                    continue
                }
                minutes = late
                code = RegisterRules.lateCode(minutesLate: late, times: times, codes: codes)
            case "other":
                guard let chosen = choice.other.flatMap({ codes[$0] }) else {
                    errors[line.pupil.upn] = request.text("register.needCode")
                    continue
                }
                code = chosen
            default:
                errors[line.pupil.upn] = request.text("register.needCode")
                continue
            }
            guard let code else { continue }
            let current = line.mark.flatMap { codes[$0.mark.code] }
            if current?.code == code.code && line.mark?.mark.minutesLate == minutes { continue }
            do throws(RegisterRules.Refusal) {
                try RegisterRules.check(
                    from: current, to: code, canAuthorise: canAuthorise, registerCodesOnly: registerOnly,
                    half: context.session.half, begun: begun, codes: codes)
            } catch {
                switch error {
                case .needsAuthorisation(let c):
                    errors[line.pupil.upn] = request.text("register.needAuthorisation", ["code": c])
                case .notARegisterCode(let c):
                    errors[line.pupil.upn] = request.text("register.notRegisterCode", ["code": c])
                case .wrongHalf(let c):
                    errors[line.pupil.upn] = request.text(
                        "register.wrongHalf", ["code": c, "session": context.session.description])
                case .notYet(let c):
                    errors[line.pupil.upn] = request.text(
                        "register.notYet", ["code": c, "session": context.session.description])
                }
                continue
            }
            if locked {
                do throws(RegisterLock.Refusal) {
                    try RegisterLock.check(from: current, to: code, by: changer)
                } catch {
                    errors[line.pupil.upn] = request.text("register.lockedChange", ["code": code.code])
                    continue
                }
            }
            // After Letter 3, illness or an appointment is authorised only with the medical evidence recorded.
            if evidenceMissing.contains(line.pupil.upn), code.means(.illness) || code.means(.medical) {
                errors[line.pupil.upn] = request.text("register.needsEvidence", ["code": code.code])
                continue
            }
            let seen = choice.seen ?? ""
            if !seen.isEmpty { changesExisting = true }
            entries.append(
                SchoolMark(
                    school: context.school.school.laestab,
                    mark: Mark(upn: line.pupil.upn, session: context.session, code: code.code, minutesLate: minutes),
                    expected: seen.isEmpty ? .noMark : .code(seen)))
        }
        return (entries, errors, changesExisting, locked)
    }

    @Sendable static func save(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        let context = try await context(request)
        let store = request.context.store
        guard context.calendar.isSchoolDay(context.session.date) else {
            throw WebError.refused(.notSchoolDay)
        }
        let form = try request.form(RegisterForm.self)
        let reason = form.reason
        var choices: [UPN: Choice] = [:]
        for line in context.lines { choices[line.pupil.upn] = form.choice(for: line.pupil.upn) }
        // "All present" without the page's script: the form comes back with every pupil not yet marked ticked
        // present and everything entered kept; nothing is saved until Save.
        if form.fillPresent {
            return try render(
                request, context, asked: RegisterPage.Asked(choices: choices, fillPresent: true, reason: reason),
                status: .ok)
        }
        let device = try DeviceSave.sent(
            key: form.saveKey, madeAt: form.madeAt, receivedAt: Date(), keyField: "save-key",
            madeAtField: "made-at", badTime: .leaveOut)
        let (entries, errors, changesExisting, locked) = plan(
            context, choices: choices, principal: principal, request: request,
            evidenceMissing: try await evidenceMissing(request, context, choices: choices))
        // A locked register changes only with a reason, kept as a change made after the lock.
        if (changesExisting || (locked && !entries.isEmpty)) && reason.isEmpty && errors.isEmpty {
            return try render(
                request, context,
                asked: RegisterPage.Asked(
                    choices: choices, summary: request.text("register.needReason"), reason: reason),
                status: .unprocessableEntity)
        }
        guard errors.isEmpty else {
            return try render(
                request, context,
                asked: RegisterPage.Asked(
                    choices: choices, errors: errors, summary: request.text("register.errors"), reason: reason),
                status: .unprocessableEntity)
        }
        let result: MarkWriteResult
        do {
            result = try await store.registers.writeMarks(
                try await store.leave.applyingLeaveDecisions(entries), by: request.actor,
                reason: reason.isEmpty ? nil : locked ? RegisterLock.reason(reason) : reason, device: device)
        } catch StoreError.reasonRequired {
            // Someone recorded a mark between the page loading and this save, and this save would change it.
            return try render(
                request, try await Self.context(request),
                asked: RegisterPage.Asked(
                    choices: choices, summary: request.text("register.needReason"), reason: reason),
                status: .conflict)
        }
        if !result.conflicts.isEmpty {
            let names = Dictionary(uniqueKeysWithValues: context.lines.map { ($0.pupil.upn, $0.pupil.displayName) })
            let messages = result.conflicts.map {
                request.text(
                    "register.conflict",
                    [
                        "name": names[$0.upn] ?? $0.upn.value, "wanted": $0.wanted,
                        "by": $0.currentBy ?? "?", "current": $0.current ?? request.text("register.nothing"),
                    ])
            }
            return try render(
                request, try await Self.context(request), asked: RegisterPage.Asked(conflicts: messages),
                status: .conflict)
        }
        return Page.redirect(
            SiteURL.registers.path(
                query: [
                    "date": context.session.date.iso, "saved": context.group,
                    "session": context.session.half.rawValue,
                ]))
    }
}
