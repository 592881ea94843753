import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Vapor

/// The head's leave decisions: the queue with what to weigh, and the decision, from the page or the API.
enum LeaveController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        // The decision is recorded whatever became of its letter; the notice says which.
        let letter = request.query[String.self, at: "letter"].flatMap(LeaveDecisions.Letter.init(rawValue:))
        let key: String =
            switch letter {
            case .noContact: "leave.decidedNoContact"
            case .notMade: "leave.decidedLetterNotMade"
            default: "leave.decided"
            }
        let notice = request.query[String.self, at: "decided"] == nil ? nil : request.text(key)
        return try await render(request, notice: notice, error: nil, status: .ok)
    }

    static func render(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let school = try await store.reference.requireSchool(laestab)
        let calendar = try await store.reference.calendar(for: school.school)
        let all = try await store.leave.leaveRequests(school: laestab)
        let pupils = try await store.reference.pupils(all.map(\.upn))
        let yearToDate = FigureViews.yearToDate(request)
        var waiting: [LeaveQueuePage.Weighing] = []
        for request in all where request.status == .pending {
            guard let pupil = pupils[request.upn] else { continue }
            // The pupil's figure as every page gives it: this school year to today, never a session not yet
            // happened (an absence already reported or agreed for the coming days is not counted).
            let (_, summary) = try await store.registers.summary(of: request.upn, in: yearToDate)
            // The other children of the family: requests from the same person for other pupils that overlap.
            let siblings = all.filter {
                $0.upn != request.upn && $0.requestedBy == request.requestedBy && $0.dates.overlaps(request.dates)
            }.compactMap { other in pupils[other.upn].map { ($0, other) } }
            waiting.append(
                LeaveQueuePage.Weighing(
                    request: request, pupil: pupil,
                    schoolDays: LeaveRules.schoolDays(request.dates, calendar: calendar).count,
                    agreedThisYear: try await store.leave.leaveDaysAgreed(
                        request.upn, school: laestab, year: request.dates.start.academicYear),
                    attendance: summary, siblings: siblings))
        }
        let decided = all.filter { $0.status != .pending }.compactMap { request in
            pupils[request.upn].map { ($0, request) }
        }
        return try Page.render(
            LeaveQueuePage.make(
                school: laestab, waiting: waiting, decided: decided,
                limit: request.context.policy.holidayLimitSchoolDays, notice: notice, error: error,
                canDecide: try request.signedIn.allows(.decideLeave, .school(laestab)),
                names: try await request.names(),
                text: request.text),
            request: request, status: status)
    }

    @Sendable static func decide(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target,
            let id = request.parameters.get("id").flatMap({ LeaveRequestID($0) })
        else { throw Abort(.notFound) }
        let form = try request.form(LeaveDecisionForm.self)
        func refuse(_ key: String) async throws -> Response {
            try await render(request, notice: nil, error: request.text(key), status: .unprocessableEntity)
        }
        guard let kind = form.kind, form.categoryIsKnown else { return try await refuse("error.badRequest") }
        var agreed: DateRange?
        if kind == .agreed {
            guard let range = form.agreed else { return try await refuse("error.leave.outsideRequest") }
            agreed = range
        }
        let category = form.category
        let letter: LeaveDecisions.Letter
        do {
            letter = try await LeaveDecisions.decide(
                request, id: id, school: laestab, kind: kind, agreed: agreed, reason: form.reason,
                category: category
            ).letter
        } catch StoreError.leave(let problem) {
            return try await refuse("error.leave.\(problem.key)")
        }
        let path =
            [.noContact, .notMade].contains(letter)
            ? SiteURL.school(.leaveQueue, laestab, query: ["decided": "1", "letter": letter.rawValue])
            : SiteURL.school(.leaveQueue, laestab, query: ["decided": "1"])
        return Page.redirect(path)
    }
}

/// A decision, wherever it is taken: recorded with its marks (the store), then the decision letter to every
/// parent with parental responsibility in their language. A referral to the local authority sends no letter (the
/// authority decides), nor does taking the pupil off the roll for an extended absence (no letter exists for it yet:
/// the school writes).
enum LeaveDecisions {
    /// What became of the decision letter once the decision was recorded.
    enum Letter: String, Sendable {
        /// Made, and handed to the sending.
        case made
        /// No letter goes with this decision (a referral, off the roll).
        case none
        /// No parent to write to: the decision stands on the pupil's page.
        case noContact = "no_contact"
        /// The letter could not be made (the error is in the log by its type): the decision stands all the same.
        case notMade = "not_made"
    }

    static func decide(
        _ request: Request, id: LeaveRequestID, school: LAESTAB, kind: LeaveDecision.Kind, agreed: DateRange?,
        reason: String,
        category: ExceptionalCategory?
    ) async throws -> (decided: LeaveRequest, letter: Letter) {
        let reason = try Fields.leaveReason.check(reason)
        let decided = try await request.context.store.leave.decideLeave(
            id, school: school, kind: kind, agreed: agreed, reason: reason, category: category,
            limit: request.context.policy.holidayLimitSchoolDays, by: request.actor)
        guard kind == .agreed || kind == .refused || kind == .offRoll, let decision = decided.decision else {
            return (decided, .none)
        }
        var details = [
            "holiday_from": decided.dates.start.iso, "holiday_to": decided.dates.end.iso, "holiday_reason": reason,
        ]
        switch decided.status {
        case .agreed: details["holiday_decision"] = "agreed"
        case .partlyAgreed:
            details["holiday_decision"] = "partly"
            details["holiday_agreed_from"] = decision.agreed?.start.iso
            details["holiday_agreed_to"] = decision.agreed?.end.iso
        case .offRoll: details["holiday_decision"] = "off_roll"
        default: details["holiday_decision"] = "refused"
        }
        // The decision is committed: whatever happens to its letter now is reported as that, never as "nothing was
        // changed".
        do {
            _ = try await request.context.letters.produce(
                .holidayDecision, for: decided.upn, school: school, details: details, today: request.context.today,
                by: request.actor, signatory: try request.signedIn.user.displayName)
            sendInBackground(request.context.letters, logger: request.logger)
            return (decided, .made)
        } catch LetterProblem.noContact {
            // The decision stands and is on the pupil's page; with no contact to write to, no letter is made.
            request.logger.warning("a leave decision's letter had no contact to go to")
            return (decided, .noContact)
        } catch {
            request.logger.error("a leave decision's letter was not made: \(String(reflecting: type(of: error)))")
            return (decided, .notMade)
        }
    }
}

/// The head's decision on a leave request as the queue's form gives it: the decision, the days agreed (read only
/// for an agreement), the reason as typed (the rules judge it) and the exceptional category, if one was chosen.
struct LeaveDecisionForm: Form {
    let kind: LeaveDecision.Kind?
    let agreed: DateRange?
    let reason: String
    let category: ExceptionalCategory?
    /// False when a category was sent that is none of the known ones.
    let categoryIsKnown: Bool

    init(_ fields: FormFields) throws {
        kind = LeaveDecision.Kind(rawValue: fields.sent("decision") ?? "")
        // A date that cannot be read is no date: the decision is refused as outside the request.
        let from = try? fields.optionalDate("from")
        let to = try? fields.optionalDate("to")
        agreed = from.flatMap { from in to.flatMap { DateRange(from, $0) } }
        reason = fields.sent("reason") ?? ""
        let categoryText = fields.sent("exceptional_category") ?? ""
        category = ExceptionalCategory(rawValue: categoryText)
        categoryIsKnown = categoryText.isEmpty || category != nil
    }
}
