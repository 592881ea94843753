import AttendanceCore
import AttendanceStore
import Vapor

/// Taking the register: the list of today's registers, the register itself, and saving it in one transaction.
enum RegisterController {
    static func sessionName(_ half: SessionHalf, _ request: Request) -> String {
        request.text("session.\(half.rawValue)")
    }

    static func path(_ school: LAESTAB, _ group: String, _ session: SchoolSession) -> String {
        SiteURL.register(school, group: group, date: session.date, half: session.half)
    }

    // MARK: My registers

    @Sendable static func list(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        let store = request.context.store
        let date = request.query[String.self, at: "date"].flatMap { LocalDate(iso: $0) } ?? request.context.today
        let schoolsByID = try await store.schools()
        var schools: [[String: Any]] = []
        for laestab in Set(principal.grants.compactMap(\.school)).sorted() {
            guard let school = schoolsByID.first(where: { $0.school.laestab == laestab }) else { continue }
            let calendar = try await store.calendar(for: school.school)
            var groups: [[String: Any]] = []
            for group in try await store.registerGroups(school: school.school.laestab, on: date) {
                let placement = AccessTarget.registrationGroup(
                    GroupPlacement(school: laestab, group: group.group, yearGroups: group.yearGroups))
                guard principal.allows(.viewRegister, placement) else { continue }
                let canTake = principal.allows(.takeRegister, placement) && calendar.isSchoolDay(date)
                let sessions = SessionHalf.allCases.map { half -> [String: Any] in
                    let taken = group.isTaken(half)
                    var values: [String: Any] = [
                        "href": path(laestab, group.group, SchoolSession(date, half)),
                        "takeLabel": request.text("registers.take", ["session": sessionName(half, request)]),
                        "status": sessionName(half, request) + ": "
                            + (taken
                                ? request.text("registers.taken")
                                : request.text(
                                    "registers.notTaken",
                                    ["marked": String(group.marked(half)), "roll": String(group.onRoll)])),
                        "statusClass": taken ? "taken" : "not-taken",
                    ]
                    if canTake { values["canTake"] = true }
                    return values
                }
                groups.append([
                    "group": group.group, "sessions": sessions, "printLabel": request.text("registers.print"),
                    "printHref": SiteURL.printRegister(laestab, group: group.group, query: ["to": date.iso]),
                ])
            }
            var values: [String: Any] = ["name": school.school.name, "laestab": laestab.description, "groups": groups]
            if !calendar.isSchoolDay(date) {
                values["notSchoolDay"] = request.text("register.notSchoolDay", ["date": date.iso])
            }
            if principal.allows(.manageAttendance, .school(laestab)) {
                values["office"] = true
                values["officeLabel"] = request.text("registers.office")
                values["lateBookLabel"] = request.text("registers.lateBook")
                values["date"] = date.iso
                values["officeHref"] = SiteURL.school(.office, laestab, query: ["date": date.iso])
                values["lateBookHref"] = SiteURL.school(.lateBook, laestab)
            }
            if !groups.isEmpty { schools.append(values) }
        }
        var values: [String: Any] = [
            "title": request.text("registers.title", ["date": date.iso]), "date": date.iso, "schools": schools,
            "none": request.text("registers.none"), "otherDay": request.text("registers.otherDay"),
            "show": request.text("registers.show"), "registersAction": SiteURL.registers.path(),
        ]
        if let saved = request.query[String.self, at: "saved"] {
            values["notice"] = request.text("registers.saved", ["group": saved, "session": ""])
        }
        return try Page.render("registers", values, request: request)
    }

    // MARK: The register

    struct Context {
        let school: StoredSchool
        let group: String
        let session: SchoolSession
        let lines: [RegisterLine]
        let calendar: SchoolCalendar
    }

    static func context(_ request: Request) async throws -> Context {
        guard case .registrationGroup(let placement) = request.target,
            let date = request.parameters.get("date").flatMap({ LocalDate(iso: $0) }),
            let half = request.parameters.get("session").flatMap({ SessionHalf(text: $0) })
        else { throw Abort(.notFound) }
        let store = request.context.store
        let school = try await store.requireSchool(placement.school)
        let session = SchoolSession(date, half)
        return Context(
            school: school, group: placement.group, session: session,
            lines: try await store.registerLines(
                school: school.school.laestab, group: placement.group, session: session),
            calendar: try await store.calendar(for: school.school))
    }

    /// What the user chose for one pupil, as the form sent it.
    struct Choice {
        var kind: String?
        var minutes: String?
        var other: String?
        var seen: String?
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        let context = try await context(request)
        let fill = request.query[String.self, at: "fill"] == "present"
        return try render(
            request, context, choices: [:], errors: [:], fillPresent: fill, summary: nil, conflicts: [], reason: "",
            status: .ok)
    }

    static func render(
        _ request: Request, _ context: Context, choices: [UPN: Choice], errors: [UPN: String], fillPresent: Bool,
        summary: String?, conflicts: [String], reason: String, status: HTTPStatus
    ) throws -> Response {
        let codes = request.context.store.codes
        let language = request.language
        let principal = try request.signedIn
        let registerOnly = registerCodesOnly(principal, context.school.school.laestab)
        let times = context.school.school.times(for: context.session.half)
        let present = RegisterRules.presentCode(for: context.session.half, codes: codes)
        let absent = codes.code(meaning: .noReasonYet)!
        let otherCodes = codes.codes.filter { code in
            code.code != present.code && !code.isLate
                && code.code != absent.code && (!registerOnly || code.usableAtRegister)
                && (!code.requiresAuthorisation
                    || principal.allows(.authoriseAbsence, .school(context.school.school.laestab)))
        }
        let lines = context.lines.map { line -> [String: Any] in
            let upn = line.pupil.upn
            let current = line.mark.flatMap { codes[$0.mark.code] }
            let choice = choices[upn]
            var kind = choice?.kind
            var minutes = choice?.minutes ?? line.mark?.mark.minutesLate.map(String.init) ?? ""
            var other = choice?.other ?? ""
            if kind == nil, let current {
                if current.code == present.code {
                    kind = "present"
                } else if current.isLate {
                    kind = "late"
                } else if current.code == absent.code {
                    kind = "absent"
                } else {
                    kind = "other"; other = current.code
                }
            }
            if kind == nil && fillPresent { kind = "present" }
            if kind != "late" && choice == nil && line.mark == nil { minutes = "" }
            let name = line.pupil.displayName
            var values: [String: Any] = [
                "upn": upn.value, "pupilHref": SiteURL.pupil(upn),
                "name":
                    "\(line.pupil.preferredSurname ?? line.pupil.legalSurname), \(line.pupil.preferredForename ?? line.pupil.legalForename)",
                "initials": String((line.pupil.preferredForename ?? line.pupil.legalForename).prefix(1))
                    + String((line.pupil.preferredSurname ?? line.pupil.legalSurname).prefix(1)),
                "seen": choice?.seen ?? line.mark?.mark.code ?? "", "minutes": minutes,
                "minutesLabel": request.text("register.minutesLate", ["name": name]),
                "otherCodeLabel": request.text("register.otherCode", ["name": name]),
                "codes": otherCodes.map { code -> [String: Any] in
                    var option: [String: Any] = ["code": code.code, "name": code.name(in: language)]
                    if code.code == other { option["selected"] = true }
                    return option
                },
            ]
            if let current {
                values["current"] =
                    "\(current.code) – \(current.name(in: language))"
                    + (line.mark?.mark.minutesLate.map { " (\($0) min)" } ?? "")
            }
            if let current, RegisterRules.isPlanned(current), registerOnly {
                values["planned"] = request.text(
                    "register.planned", ["code": "\(current.code) – \(current.name(in: language))"])
            }
            switch kind {
            case "present": values["isPresent"] = true
            case "late": values["isLate"] = true
            case "absent": values["isAbsent"] = true
            case "other": values["isOther"] = true
            default: break
            }
            if let error = errors[upn] { values["error"] = error }
            return values
        }
        var values: [String: Any] = [
            "title": request.text(
                "register.title",
                [
                    "group": context.group, "date": context.session.date.iso,
                    "session": sessionName(context.session.half, request),
                ]),
            "closes": request.text(
                "register.closes", ["start": times.start.description, "close": times.close.description]),
            "keysHint": request.text("register.keysHint"), "allPresent": request.text("register.allPresent"),
            "allPresentHint": request.text("register.allPresentHint"),
            "allPresentHref": SiteURL.register.path(
                [
                    "laestab": context.school.school.laestab.description, "group": context.group,
                    "date": context.session.date.iso, "session": context.session.half.rawValue,
                ], query: ["fill": "present"]),
            "action": path(context.school.school.laestab, context.group, context.session),
            "pupilLabel": request.text("register.pupil"), "markLabel": request.text("register.mark"),
            "presentLabel": request.text("register.present"), "lateLabel": request.text("register.late"),
            "absentLabel": request.text("register.absent"), "otherLabel": request.text("register.other"),
            "presentCode": present.code, "absentCode": absent.code, "chooseLabel": request.text("register.choose"),
            "reasonLabel": request.text("register.reason"), "reasonHint": request.text("register.reasonHint"),
            "save": request.text("register.save"), "historyLabel": request.text("register.history"),
            "lines": lines, "hasLines": !lines.isEmpty, "reason": reason,
            "hasConflicts": !conflicts.isEmpty, "conflicts": conflicts,
            "conflictsIntro": request.text("register.conflicts"),
        ]
        if context.lines.contains(where: { $0.mark != nil }) { values["taken"] = true }
        if lines.isEmpty { values["empty"] = request.text("register.empty") }
        if let summary { values["errorSummary"] = summary }
        return try Page.render("register", values, request: request, status: status)
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
            let sent = try await store.letter3Sent(
                upn: upn, school: context.school.school.laestab, year: date.academicYear)
            let evidence = try await store.medicalEvidence(of: upn).map(\.days)
            if MedicalEvidenceRule.needsEvidence(code, on: date, letter3Sent: sent, evidence: evidence) {
                missing.insert(upn)
            }
        }
        return missing
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
    ) -> (entries: [SchoolMark], errors: [UPN: String], changesExisting: Bool) {
        let codes = request.context.store.codes
        let laestab = context.school.school.laestab
        let canAuthorise = principal.allows(.authoriseAbsence, .school(laestab))
        let registerOnly = registerCodesOnly(principal, laestab)
        let times = context.school.school.times(for: context.session.half)
        let begun = RegisterRules.hasBegun(context.session, times: times, now: request.context.now)
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
        return (entries, errors, changesExisting)
    }

    @Sendable static func save(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        let context = try await context(request)
        let store = request.context.store
        guard context.calendar.isSchoolDay(context.session.date) else {
            throw Abort(.badRequest, reason: "error.notSchoolDay")
        }
        let form = try request.content.decode([String: String].self)
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespaces)
        var choices: [UPN: Choice] = [:]
        for line in context.lines {
            let upn = line.pupil.upn.value
            choices[line.pupil.upn] = Choice(
                kind: form["mark-\(upn)"], minutes: form["late-\(upn)"], other: form["other-\(upn)"],
                seen: form["seen-\(upn)"])
        }
        let (entries, errors, changesExisting) = plan(
            context, choices: choices, principal: principal, request: request,
            evidenceMissing: try await evidenceMissing(request, context, choices: choices))
        if changesExisting && reason.isEmpty && errors.isEmpty {
            return try render(
                request, context, choices: choices, errors: [:], fillPresent: false,
                summary: request.text("register.needReason"), conflicts: [], reason: reason,
                status: .unprocessableEntity)
        }
        guard errors.isEmpty else {
            return try render(
                request, context, choices: choices, errors: errors, fillPresent: false,
                summary: request.text("register.errors"), conflicts: [], reason: reason, status: .unprocessableEntity)
        }
        let result: MarkWriteResult
        do {
            result = try await store.writeMarks(entries, by: request.actor, reason: reason.isEmpty ? nil : reason)
        } catch StoreError.reasonRequired {
            // Someone recorded a mark between the page loading and this save, and this save would change it.
            return try render(
                request, try await Self.context(request), choices: choices, errors: [:], fillPresent: false,
                summary: request.text("register.needReason"), conflicts: [], reason: reason, status: .conflict)
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
                request, try await Self.context(request), choices: [:], errors: [:], fillPresent: false, summary: nil,
                conflicts: messages, reason: "", status: .conflict)
        }
        return Page.redirect(
            SiteURL.registers.path(query: ["date": context.session.date.iso, "saved": context.group]))
    }
}
