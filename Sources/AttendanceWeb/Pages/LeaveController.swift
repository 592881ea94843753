import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Vapor

/// The head's leave decisions: the queue with what to weigh, and the decision, from the page or the API.
enum LeaveController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        let notice = request.query[String.self, at: "decided"] != nil ? request.text("leave.decided") : nil
        return try await render(request, notice: notice, error: nil, status: .ok)
    }

    static func render(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let school = try await store.requireSchool(laestab)
        let calendar = try await store.calendar(for: school.school)
        let all = try await store.leaveRequests(school: laestab)
        let pupils = try await store.pupils(all.map(\.upn))
        var waiting: [LeaveQueuePage.Weighing] = []
        for request in all where request.status == .pending {
            guard let pupil = pupils[request.upn] else { continue }
            let year = request.dates.start.academicYear
            let (_, summary) = try await store.summary(
                of: request.upn, in: DateRange(start: year.firstDay, notBefore: min(request.dates.start, year.lastDay)))
            // The other children of the family: requests from the same person for other pupils that overlap.
            let siblings = all.filter {
                $0.upn != request.upn && $0.requestedBy == request.requestedBy && $0.dates.overlaps(request.dates)
            }.compactMap { other in pupils[other.upn].map { ($0, other) } }
            waiting.append(
                LeaveQueuePage.Weighing(
                    request: request, pupil: pupil,
                    schoolDays: LeaveRules.schoolDays(request.dates, calendar: calendar).count,
                    agreedThisYear: try await store.leaveDaysAgreed(request.upn, school: laestab, year: year),
                    attendance: summary, siblings: siblings))
        }
        let decided = all.filter { $0.status != .pending }.compactMap { request in
            pupils[request.upn].map { ($0, request) }
        }
        return try Page.render(
            LeaveQueuePage.make(
                school: laestab, waiting: waiting, decided: decided,
                limit: request.context.policy.holidayLimitSchoolDays, notice: notice, error: error,
                text: request.text), request: request, status: status)
    }

    @Sendable static func decide(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target,
            let id = request.parameters.get("id").flatMap({ Int($0) })
        else { throw Abort(.notFound) }
        let form = try request.content.decode([String: String].self)
        func refuse(_ key: String) async throws -> Response {
            try await render(request, notice: nil, error: request.text(key), status: .unprocessableEntity)
        }
        guard let kind = LeaveDecision.Kind(rawValue: form["decision"] ?? "") else {
            return try await refuse("error.badRequest")
        }
        var agreed: DateRange?
        if kind == .agreed {
            guard let from = LocalDate(entered: form["from"] ?? ""), let to = LocalDate(entered: form["to"] ?? ""),
                let range = DateRange(from, to)
            else { return try await refuse("error.leave.outsideRequest") }
            agreed = range
        }
        let categoryText = form["exceptional_category"] ?? ""
        let category = ExceptionalCategory(rawValue: categoryText)
        guard categoryText.isEmpty || category != nil else { return try await refuse("error.badRequest") }
        do {
            _ = try await LeaveDecisions.decide(
                request, id: id, school: laestab, kind: kind, agreed: agreed,
                reason: (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines), category: category)
        } catch StoreError.leave(let problem) {
            return try await refuse("error.leave.\(problem.key)")
        }
        return Page.redirect(SiteURL.school(.leaveQueue, laestab, query: ["decided": "1"]))
    }
}

/// A decision, wherever it is taken: recorded with its marks (the store), then the decision letter to every
/// parent with parental responsibility in their language. A referral to the local authority sends no letter (the
/// authority decides), nor does taking the pupil off the roll for an extended absence (no letter exists for it yet:
/// the school writes).
enum LeaveDecisions {
    static func decide(
        _ request: Request, id: Int, school: LAESTAB, kind: LeaveDecision.Kind, agreed: DateRange?, reason: String,
        category: ExceptionalCategory?
    ) async throws -> LeaveRequest {
        guard reason.count <= 1000 else { throw StoreError.leave(.noReason) }
        let decided = try await request.context.store.decideLeave(
            id, school: school, kind: kind, agreed: agreed, reason: reason, category: category,
            limit: request.context.policy.holidayLimitSchoolDays, by: request.actor)
        guard kind == .agreed || kind == .refused, let decision = decided.decision else { return decided }
        var details = [
            "holiday_from": decided.dates.start.iso, "holiday_to": decided.dates.end.iso, "holiday_reason": reason,
        ]
        switch decided.status {
        case .agreed: details["holiday_decision"] = "agreed"
        case .partlyAgreed:
            details["holiday_decision"] = "partly"
            details["holiday_agreed_from"] = decision.agreed?.start.iso
            details["holiday_agreed_to"] = decision.agreed?.end.iso
        default: details["holiday_decision"] = "refused"
        }
        do {
            _ = try await request.context.letters.produce(
                .holidayDecision, for: decided.upn, school: school, details: details, today: request.context.today,
                by: request.actor, signatory: try request.signedIn.user.displayName)
            sendInBackground(request.context.letters, logger: request.logger)
        } catch LetterProblem.noContact {
            // The decision stands and is on the pupil's page; with no contact to write to, no letter is made.
            request.logger.warning("a leave decision's letter had no contact to go to")
        }
        return decided
    }
}
