import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Vapor

/// A school's procedure queue: what is due, why, and what to do; done with how, or dismissed by the head.
/// A head of year sees and works only their year groups.
enum ActionsController {

    /// Year groups the user is limited to at this school, or nil for the whole school.
    static func limitedYears(_ principal: Principal, _ laestab: LAESTAB) -> Set<String>? {
        let grants = principal.grants.filter { $0.school == laestab || $0.role == .educationLead }
        if grants.contains(where: { $0.role != .headOfYear }) { return nil }
        return Set(grants.flatMap(\.yearGroups))
    }

    /// Flags only the head teacher closes: a penalty notice warning, and authorising an absence after Letter 3.
    static let headDecides: Set<ProcedureAction> = [.fpnEligible, .medicalEvidenceRequired]

    @Sendable static func page(_ request: Request) async throws -> Response {
        let saved = request.query[String.self, at: "saved"] != nil
        var notice = saved ? request.text("actions.saved") : nil
        if let attempt = request.query[String.self, at: "attempt"].flatMap(Int.init) {
            notice = request.text(
                "actions.attemptRecorded",
                ["made": String(attempt), "needed": String(request.context.policy.casework.phoneCallAttempts)])
        }
        return try await render(request, notice: notice, error: nil, status: .ok)
    }

    static func render(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws -> Response
    {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let principal = try request.signedIn
        let store = request.context.store
        let school = try await store.reference.requireSchool(laestab)
        let years = limitedYears(principal, laestab)
        // A pupil who moved form this year has a line for each; their band is of the two together.
        let bands = AttendanceSummary.byPupil(
            try await store.registers.schoolReport(laestab, in: FigureViews.yearToDate(request)).map {
                ($0.pupil.upn, $0.summary)
            }
        ).compactMapValues(\.band)
        var filters = ActionsPage.Filters(request)
        let all = try await store.procedure.actions(school: laestab, year: request.context.today.academicYear).filter {
            years?.contains($0.pupil.yearGroup) ?? true
        }
        let admitted = all.filter { filters.admits($0, band: bands[$0.pupil.upn]) }
        let size = ActionsPage.pageSize
        filters.page = min(filters.page, max(1, (admitted.count + size - 1) / size))
        let shown = Array(admitted.dropFirst((filters.page - 1) * size).prefix(size))
        // For each absence flagged after Letter 3: the evidence recorded for its days.
        var evidence: [ActionID: [String]] = [:]
        for item in shown where item.action == .medicalEvidenceRequired {
            let days = item.sessions.compactMap { SchoolSession(text: $0)?.date }
            evidence[item.id] = MedicalEvidenceRule.covering(
                days, in: try await store.medical.medicalEvidence(of: item.pupil.upn), days: \.days
            ).map(\.what)
        }
        // For each call shown: the attempts since it fell due that reached nobody, and whom to ring.
        var attempts: [ActionID: Int] = [:]
        var contacts: [ActionID: [Contact]] = [:]
        for item in shown where item.action == .phoneCall {
            attempts[item.id] = try await store.procedure.unansweredCalls(
                item.pupil.upn, school: laestab, in: DateRange(start: item.dueOn, notBefore: request.context.today))
            contacts[item.id] = try await store.contacts.contacts(of: item.pupil.upn)
        }
        let powers = ActionsPage.Powers(
            canRun: principal.allows(.manageAttendance, .school(laestab)),
            canDismiss: principal.allows(.authoriseAbsence, .school(laestab)),
            canDecidePenalty: principal.allows(.decidePenalty, .school(laestab)))
        let page = ActionsPage.make(
            school: school.school.name, laestab: laestab, all: all, shown: shown, admitted: admitted.count,
            bands: bands, filters: filters,
            evidence: evidence, attempts: attempts, contacts: contacts, powers: powers, policy: request.context.policy,
            lastRun: try await store.procedure.lastRuns()[laestab], notice: notice,
            error: error,
            text: request.text)
        return try Page.render(page, request: request, status: status)
    }

    @Sendable static func complete(_ request: Request) async throws -> Response {
        try await close(request, as: .done)
    }

    @Sendable static func dismiss(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        guard try request.signedIn.allows(.authoriseAbsence, .school(laestab)) else {
            return try await render(request, notice: nil, error: request.text("actions.onlyHead"), status: .forbidden)
        }
        return try await close(request, as: .dismissed)
    }

    static func close(_ request: Request, as status: RecordedAction.Status) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: ActionID.self)
        else {
            throw Abort(.notFound)
        }
        let principal = try request.signedIn
        let store = request.context.store
        let school = try await store.reference.requireSchool(laestab)
        var note = ((try? request.content.get(String.self, at: "note")) ?? "").trimmingCharacters(in: .whitespaces)
        guard !note.isEmpty else {
            return try await render(
                request, notice: nil, error: request.text("actions.needNote"), status: .unprocessableEntity)
        }
        guard
            let item = try await store.procedure.actions(
                school: school.school.laestab, year: request.context.today.academicYear
            )
            .first(where: { $0.id == id })
        else {
            throw Abort(.notFound)
        }
        if let years = limitedYears(principal, laestab), !years.contains(item.pupil.yearGroup) {
            return try await render(request, notice: nil, error: request.text("actions.notYours"), status: .forbidden)
        }
        // A penalty notice flag is closed by the head's decision only; a medical evidence flag by whoever
        // authorises absence (the head, or the staff the head has named).
        let decides: Permission = item.action == .fpnEligible ? .decidePenalty : .authoriseAbsence
        if headDecides.contains(item.action) && !principal.allows(decides, .school(laestab)) {
            return try await render(request, notice: nil, error: request.text("actions.onlyHead"), status: .forbidden)
        }
        if item.action == .fpnEligible && status == .dismissed { note = ActionNote.notNow(note).stored }
        // A call keeps its outcome and a meeting its date, beside what was said (recorded in English, the
        // language of the school's records, with the note as written).
        // "A phone call is made to the parent/carer … Record of conversation is kept": a call that reached nobody
        // is an attempt, kept in the contact log, and the action stays open until a conversation is recorded or,
        // after the policy file's number of attempts, the head of year closes it with a reason.
        if status == .done, item.action == .phoneCall {
            let outcome = (try? request.content.get(String.self, at: "outcome")) ?? ""
            guard ActionsPage.callOutcomeValues.contains(outcome) else {
                return try await render(
                    request, notice: nil, error: request.text("actions.needNote"), status: .unprocessableEntity)
            }
            let today = request.context.today
            let since = DateRange(start: item.dueOn, notBefore: today)
            if let attempt = ActionsPage.attemptOutcomes[outcome] {
                let contact = try await store.contacts.contacts(of: item.pupil.upn).first?.name ?? ""
                try await store.procedure.logContactAttempt(
                    upn: item.pupil.upn, school: laestab, date: today, method: .call, contactName: contact,
                    outcome: attempt, notes: note, proposedCode: nil, by: request.actor)
                let made = try await store.procedure.unansweredCalls(item.pupil.upn, school: laestab, in: since)
                return Page.redirect(
                    SiteURL.actions.path(
                        ["laestab": laestab.description],
                        query: ActionsPage.Filters(request).query + [("attempt", String(made))]) + "#action-\(id)")
            }
            if outcome == ActionsPage.unreached {
                let made = try await store.procedure.unansweredCalls(item.pupil.upn, school: laestab, in: since)
                let needed = request.context.policy.casework.phoneCallAttempts
                guard made >= needed else {
                    return try await render(
                        request, notice: nil,
                        error: request.text(
                            "actions.callNeedsAttempts", ["made": String(made), "needed": String(needed)]),
                        status: .unprocessableEntity)
                }
                note = ActionNote.call(outcome: outcome, note: "\(made) attempts. " + note).stored
            } else {
                note = ActionNote.call(outcome: outcome, note: note).stored
            }
        }
        var meeting: LocalDate?
        if status == .done, item.action == .attendanceMeeting {
            guard let date = (try? request.content.get(String.self, at: "meeting")).flatMap({ LocalDate(entered: $0) })
            else {
                return try await render(
                    request, notice: nil, error: request.text("actions.badMeetingDate"), status: .unprocessableEntity)
            }
            note = ActionNote.meeting(on: date, note: note).stored
            meeting = date
        }
        let invitation = meeting.map { date in
            [
                "meeting_date": date.iso,
                "meeting_time": ((try? request.content.get(String.self, at: "meeting_time")) ?? "")
                    .trimmingCharacters(in: .whitespaces),
                "meeting_place": ((try? request.content.get(String.self, at: "meeting_place")) ?? "")
                    .trimmingCharacters(in: .whitespaces),
            ].filter { !$0.value.isEmpty }
        }
        // A bad time or place is refused before anything is recorded, naming the field.
        if let invitation, let problem = LetterDetails.problems(invitation).first {
            return try await render(
                request, notice: nil, error: LettersController.detailText(request, problem),
                status: .unprocessableEntity)
        }
        guard note.count <= 2000 else {
            return try await render(
                request, notice: nil, error: request.text("actions.noteTooLong"), status: .unprocessableEntity)
        }
        try await store.procedure.closeAction(
            id: id, school: school.school.laestab, as: status, note: note, by: request.actor)
        // With a time and a place the invitation letter is produced now, in each parent's language.
        if let invitation, invitation.count == 3 {
            do {
                _ = try await request.context.letters.produce(
                    .meetingInvitation, for: item.pupil.upn, school: laestab, details: invitation,
                    today: request.context.today, by: request.actor, signatory: principal.user.displayName)
            } catch LetterProblem.noContact, LetterProblem.notOnRoll {
                // The meeting is recorded; only the letter could not be made.
                return try await render(
                    request, notice: request.text("actions.saved"), error: request.text("error.noContact"),
                    status: .ok)
            }
            sendInBackground(request.context.letters, logger: request.logger)
        }
        return Page.redirect(
            SiteURL.actions.path(
                ["laestab": laestab.description], query: ActionsPage.Filters(request).query + [("saved", "1")]))
    }

    /// The head sends the penalty notice warning for a flagged pupil, in two steps: the first shows the criteria
    /// met and the letter as each parent will read it; the confirmed second sends it to every parent in their
    /// language, keeps it, records the flag done and opens the term's case.
    @Sendable static func penaltyWarning(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: ActionID.self)
        else {
            throw Abort(.notFound)
        }
        let principal = try request.signedIn
        let school = try await request.context.store.reference.requireSchool(laestab)
        guard
            let item = try await request.context.store.procedure.actions(
                school: school.school.laestab, year: request.context.today.academicYear
            ).first(where: {
                $0.id == id
            }),
            item.action == .fpnEligible
        else { throw Abort(.notFound) }
        // A legal letter: the first press shows the criteria and the letter; only the second step sends it.
        let confirmed = (try? request.content.get(String.self, at: "confirmed")) == "yes"
        do {
            guard confirmed else {
                let draft = try await request.context.letters.draft(
                    .fpnWarning, for: item.pupil.upn, school: laestab, today: request.context.today,
                    signatory: principal.user.displayName)
                return try Page.render(
                    PenaltyWarningPage.make(
                        pupil: item.pupil, laestab: laestab, actionID: item.id, figures: draft.facts.penalty,
                        documents: draft.documents, text: request.text), request: request)
            }
            _ = try await request.context.letters.produce(
                .fpnWarning, for: item.pupil.upn, school: laestab, details: [:], today: request.context.today,
                by: request.actor, signatory: principal.user.displayName, actionID: item.id)
        } catch LetterProblem.noContact {
            return try await render(
                request, notice: nil, error: request.text("error.noContact"), status: .unprocessableEntity)
        } catch LetterProblem.notOnRoll {
            throw Abort(.forbidden)  // the pupil has left: their new school decides
        } catch LetterProblem.recordLacks(_, let lack) {
            // The criteria no longer hold on today's record (a correction since the flag): nothing is sent.
            return try await render(
                request, notice: nil, error: request.text("error.letterLacks.\(lack.key)"),
                status: .unprocessableEntity)
        }
        // The warning opens the pupil's penalty notice case for the term, with the criteria met and their counts.
        try await request.context.store.penalties.openWarnedCase(
            for: item.pupil.upn, school: laestab, flaggedOn: item.basis, on: request.context.today,
            policy: request.context.policy, by: request.actor)
        sendInBackground(request.context.letters, logger: request.logger)
        return Page.redirect(SiteURL.school(.actions, laestab, query: ["saved": "1"]))
    }

    @Sendable static func run(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let result = try await request.context.store.procedure.runProcedure(
            policy: request.context.policy, asOf: request.context.today, school: laestab, dryRun: false)
        return try await render(
            request,
            notice: request.text(
                "actions.ran",
                [
                    "recorded": String(result.recorded), "withdrawn": String(result.withdrawn),
                    "converted": String(result.convertedToO),
                ]),
            error: nil, status: .ok)
    }
}
