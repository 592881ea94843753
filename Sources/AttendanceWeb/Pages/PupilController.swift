import AttendanceCore
import AttendanceStore
import Vapor

/// One pupil's attendance. Staff also see corrections and contacts; a parent sees their child's figures and marks.
enum PupilController {
    @Sendable static func page(_ request: Request) async throws -> Response {
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
        let (stored, summary) = try await store.summary(of: placement.upn, in: range)
        let recent = DateRange(max(range.start, range.end.adding(days: -27)), range.end)!
        let marks = try await store.marks(of: placement.upn, in: recent)
        func codeText(_ code: String?) -> String {
            guard let code else { return request.text("pupil.noMark") }
            return "\(code) – \(store.codes[code]?.name(in: language) ?? code)"
        }
        let byDate = Dictionary(grouping: marks, by: \.mark.session.date)
        let days = byDate.keys.sorted(by: >).map { date -> [String: Any] in
            let am = byDate[date]!.first { $0.mark.session.half == .am }?.mark.code
            let pm = byDate[date]!.first { $0.mark.session.half == .pm }?.mark.code
            return ["date": date.iso, "am": codeText(am), "pm": codeText(pm)]
        }
        let current = former ?? stored.enrolments.last
        var schoolName = ""
        if let current { schoolName = try await store.school(current.school)?.school.name ?? "" }
        var values: [String: Any] = [
            "title": request.text("pupil.title", ["name": stored.pupil.displayName]),
            "upnLabel": request.text("pupil.upn"), "upn": placement.upn.value,
            "schoolLabel": request.text("pupil.school"),
            "school": "\(schoolName) (\(current?.school.description ?? ""))",
            "yearLabel": request.text("column.year"), "year": stored.pupil.yearGroup,
            "group": stored.pupil.registrationGroup,
            "summaryTitle": request.text("pupil.summary", ["from": range.start.iso, "to": range.end.iso]),
            "possible": summary.possible, "attended": summary.attended, "authorised": summary.authorised,
            "unauthorised": summary.unauthorised, "attendance": summary.attendancePercentText,
            "persistent": request.text(summary.persistentAbsence ? "common.yes" : "common.no"),
            "recentTitle": request.text("pupil.recent"), "dateLabel": request.text("pupil.date"),
            "morningLabel": request.text("pupil.morning"), "afternoonLabel": request.text("pupil.afternoon"),
            "days": days,
        ]
        values["columns"] = PupilColumns(text: { request.text($0) })
        values.merge(FigureViews.band(summary, request)) { a, _ in a }
        // The year session by session, and the patterns in it (with the sessions that make each).
        let yearMarks = try await store.yearMarks(of: placement.upn, year: range.end.academicYear)
        if let current, let school = try await store.school(current.school) {
            let calendar = try await store.calendar(for: school.school)
            values["strip"] = calendar.sessions(in: range).map { session -> [String: Any] in
                let code = store.codes.code(id: yearMarks[session])
                return [
                    "code": code?.code ?? "·", "category": code?.category.rawValue ?? "none",
                    "title":
                        "\(session): \(code.map { "\($0.code) \($0.name(in: language))" } ?? request.text("pupil.noMark"))",
                ]
            }
            let flags = Patterns.find(
                marks: yearMarks, calendar: calendar, asOf: range.end, codes: store.codes,
                policy: request.context.policy)
            values["patterns"] = flags.map { flag -> String in
                let day = flag.weekday.map { request.text("weekday.\($0.rawValue)") } ?? ""
                let text = request.text("pattern.\(flag.kind.rawValue)", ["count": String(flag.count), "day": day])
                return text + " (" + request.text("pattern.sessions") + ": "
                    + flag.sessions.prefix(12).map(\.description).joined(separator: ", ")
                    + (flag.sessions.count > 12 ? " …" : "") + ")"
            }
        }
        values["stripTitle"] = request.text("pupil.strip")
        values["patternsTitle"] = request.text("pupil.patterns")
        values["noPatterns"] = request.text("pupil.noPatterns")
        if let former {
            // The new school's year group, form and everything it records are not the old school's to see.
            values["year"] = nil
            values["group"] = nil
            values["yearLabel"] = nil
            values["left"] = request.text(
                "pupil.leftNotice", ["date": former.onRollTo?.iso ?? "", "school": schoolName])
        }
        if view == .full || former != nil {
            let history = try await store.amendments(of: placement.upn).filter { range.contains($0.session.date) }
            values["staffView"] = true
            values["historyTitle"] = request.text("pupil.history")
            values["noHistory"] = request.text("pupil.noHistory")
            values["hasHistory"] = !history.isEmpty
            values["history"] = history.reversed().map { a -> [String: Any] in
                [
                    "session": a.session.description, "from": codeText(a.oldCode), "to": codeText(a.newCode),
                    "by": a.changedBy, "when": String(Timestamp.text(a.changedAt).prefix(16)), "reason": a.reason,
                ]
            }
            for key in ["session", "from", "to", "by", "when", "reason"] {
                values["\(key)Label"] = request.text("pupil.\(key)")
            }
            var timeline: [String] = []
            for enrolment in stored.enrolments where former == nil || former?.school == enrolment.school {
                guard let school = try await store.school(enrolment.school) else { continue }
                for item in try await store.actions(school: school.school.laestab, status: nil, upn: placement.upn) {
                    var line =
                        "\(item.dueOn.iso): \(ActionsController.label(request, item.action)) (\(item.basis), \(item.count))"
                    line += " – " + request.text("status.\(item.status.rawValue)")
                    if let by = item.statusChangedBy, let at = item.statusChangedAt {
                        line += ", \(by), \(Timestamp.text(at).prefix(16).replacingOccurrences(of: "T", with: " "))"
                    }
                    if let note = item.statusNote { line += ": \(note)" }
                    timeline.append(line)
                }
            }
            values["timelineTitle"] = request.text("pupil.timeline")
            values["noTimeline"] = request.text("pupil.noTimeline")
            values["timeline"] = timeline
        }
        if view == .full {
            values["contactsSection"] = true
            values["contactsTitle"] = request.text("pupil.contacts")
            values["contacts"] = try await store.contacts(of: placement.upn).map { c -> [String: Any] in
                [
                    "name": c.name, "relationship": c.relationship, "phone": c.mobile ?? c.phone ?? "",
                    "email": c.email ?? "", "language": c.language.rawValue,
                ]
            }
        }
        if let current, former == nil, view == .full, principal.allows(.workActions, .school(current.school)) {
            values.merge(try await letterValues(request, placement.upn, school: current.school)) { a, _ in a }
        }
        if let current, former == nil, view == .full, principal.allows(.manageAttendance, .school(current.school)) {
            values.merge(try await evidenceValues(request, placement.upn, school: current.school)) { a, _ in a }
        }
        return try Page.render("pupil", values, request: request)
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

    /// Medical evidence recorded for the pupil's absences, and the form to record more (after Letter 3 the head
    /// authorises illness and appointments only with it).
    static func evidenceValues(_ request: Request, _ upn: UPN, school: LAESTAB) async throws -> [String: Any] {
        let store = request.context.store
        let sent = try await store.letter3Sent(upn: upn, school: school, year: request.context.today.academicYear)
        var values: [String: Any] = [
            "evidenceSection": true, "evidenceTitle": request.text("evidence.title"),
            "evidenceIntro": sent.map { request.text("evidence.afterLetter3", ["date": $0.iso]) }
                ?? request.text("evidence.intro"),
            "evidenceAction": SiteURL.schoolPupil(.medicalEvidence, school, upn),
            "evidence": try await store.medicalEvidence(of: upn).map {
                request.text(
                    "evidence.line",
                    [
                        "from": $0.days.start.iso, "to": $0.days.end.iso, "what": $0.what, "by": $0.seenBy,
                        "on": $0.seenOn.iso,
                    ])
            },
            "noEvidence": request.text("evidence.none"), "evidenceRecord": request.text("evidence.record"),
        ]
        for key in ["from", "to", "what", "seenBy", "seenOn"] {
            values["evidence" + key.prefix(1).uppercased() + key.dropFirst() + "Label"] = request.text(
                "evidence.\(key)")
        }
        if request.query[String.self, at: "evidence"] != nil {
            values["evidenceNotice"] = request.text("evidence.saved")
        }
        return values
    }

    /// Records medical evidence seen for an absence. Checked field by field; nothing is kept unless all is well.
    @Sendable static func recordEvidence(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target,
            let upn = request.parameters.get("upn").flatMap({ try? UPN($0) }),
            let stored = try await request.context.store.pupil(upn)
        else { throw Abort(.notFound) }
        guard request.mayWorkOn(stored, at: laestab) else { throw Abort(.forbidden) }
        let form = try request.content.decode([String: String].self)
        func field(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespaces) }
        func date(_ name: String) throws -> LocalDate {
            guard let date = LocalDate(iso: field(name)) else {
                throw Abort(
                    .unprocessableEntity,
                    reason: request.text("evidence.\(name == "seen_on" ? "seenOn" : name)") + ": "
                        + request.text("letterDetail.not_a_date", ["field": field(name)]))
            }
            return date
        }
        let from = try date("from"), to = try date("to"), seenOn = try date("seen_on")
        guard let days = DateRange(from, to) else {
            throw Abort(
                .unprocessableEntity, reason: request.text("evidence.to") + ": " + request.text("evidence.backwards"))
        }
        let what = field("what"), seenBy = field("seen_by")
        guard !what.isEmpty, what.count <= 200, !seenBy.isEmpty, seenBy.count <= 100,
            !(what + seenBy).unicodeScalars.contains(where: { $0.value < 0x20 })
        else {
            throw Abort(
                .unprocessableEntity, reason: request.text("evidence.what") + " / " + request.text("evidence.seenBy"))
        }
        guard seenOn <= request.context.today else {
            throw Abort(
                .unprocessableEntity,
                reason: request.text("evidence.seenOn") + ": " + request.text("contact.futureDate"))
        }
        try await request.context.store.recordMedicalEvidence(
            upn: upn, school: laestab, days: days, what: what, seenBy: seenBy, seenOn: seenOn, by: request.actor)
        return Page.redirect(SiteURL.pupil(upn, fragment: "evidence", query: ["evidence": "1"]))
    }

    /// The pupil's letters and messages, and the form to produce one.
    static func letterValues(_ request: Request, _ upn: UPN, school: LAESTAB) async throws -> [String: Any] {
        let store = request.context.store
        let letters = try await store.letters(of: upn)
        let deliveries = try await store.deliveries(of: upn)
        let messages = deliveries.filter { $0.letterID == nil }
        let mayWarn = (try? request.signedIn.allows(.decidePenalty, .school(school))) ?? false
        var values: [String: Any] = [
            "lettersSection": true, "lettersTitle": request.text("letters.title"),
            "noLetters": request.text("letters.noLetters"), "hasLetters": !letters.isEmpty,
            "letters": LetterRow.rows(letters, deliveries: deliveries, text: { request.text($0, $1) }),
            "messagesTitle": request.text("letters.messages"), "noMessages": request.text("letters.noMessages"),
            "messages": messages.map { message -> [String: Any] in
                [
                    "when": String(Timestamp.text(message.createdAt).prefix(16)).replacingOccurrences(
                        of: "T", with: " "),
                    "how": request.text("channel.\(message.channel.rawValue)"), "text": message.body,
                    "status": LetterRow.status(message, text: { request.text($0, $1) }),
                ]
            },
            "produceAction": SiteURL.schoolPupil(.produceLetter, school, upn),
            "produceLabel": request.text("letters.produce"), "kindLabel": request.text("letters.kind"),
            "kinds": LetterKind.allCases.filter { $0 != .fpnWarning || mayWarn }.map {
                ["value": $0.rawValue, "label": request.text("letters.kind.\($0.rawValue)")]
            },
            "detailsLabel": request.text("letters.details"), "agreedLabel": request.text("letters.agreed"),
            "refusedLabel": request.text("letters.refused"),
        ]
        for key in [
            "meetingDate", "meetingTime", "meetingPlace", "holidayFrom", "holidayTo", "holidayDecision",
            "holidayReason",
        ] {
            values[key + "Label"] = request.text("letters.\(key)")
        }
        values["letterColumns"] = LetterColumns(text: { request.text($0) })
        if request.query[String.self, at: "produced"] != nil {
            values["producedNotice"] = request.text("letters.produced")
        }
        return values
    }
}
