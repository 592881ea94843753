import AttendanceCore
import AttendanceStore
import Vapor

/// The parents' side through the API: absence reports, leave requests and the head's decision. The same
/// permissions and the same rules (`LeaveRules`, the store) as the pages; bad input is a 422 naming the field,
/// with nothing written.
enum LeaveAPIController {
    struct ReportDTO: Content {
        let from: String
        let to: String?
        let part: String?
        let reason: String
        let note: String?
    }

    struct NewRequestDTO: Content {
        let from: String
        let to: String
        let reason: String
        let exceptionalCategory: String?
        let details: String?
        let siblings: String?

        enum CodingKeys: String, CodingKey {
            case from, to, reason, details, siblings
            case exceptionalCategory = "exceptional_category"
        }
    }

    struct DecisionDTO: Content {
        let decision: String
        let from: String?
        let to: String?
        let reason: String
        let exceptionalCategory: String?

        enum CodingKeys: String, CodingKey {
            case decision, from, to, reason
            case exceptionalCategory = "exceptional_category"
        }
    }

    struct RequestDTO: Content {
        let id: Int
        let upn: String
        let school: String
        let from: String
        let to: String
        let reason: String
        let exceptionalCategory: String?
        let status: String
        let schoolDays: Int
        let daysAgreedThisYear: Int
        let extended: Bool
        let decision: String?
        let agreedFrom: String?
        let agreedTo: String?
        let decisionReason: String?
        /// After a decision: what became of its letter (`made`, `none`, `no_contact`, `not_made`).
        var letter: String? = nil

        enum CodingKeys: String, CodingKey {
            case id, upn, school, from, to, reason, status, extended, decision, letter
            case exceptionalCategory = "exceptional_category"
            case schoolDays = "school_days"
            case daysAgreedThisYear = "days_agreed_this_year"
            case agreedFrom = "agreed_from"
            case agreedTo = "agreed_to"
            case decisionReason = "decision_reason"
        }
    }

    /// A decision refused because another was recorded first, with the one that stands.
    struct Conflict: Content {
        let error: String
        let standing: RequestDTO
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, shape: String) throws -> T {
        do { return try request.content.decode(type) } catch {
            throw WebError.badBody(shape: shape)
        }
    }

    static func date(_ text: String?, field: String) throws -> LocalDate {
        guard let text, let date = LocalDate(entered: text) else {
            throw WebError.badField(field, .notADate(text ?? ""))
        }
        return date
    }

    static func range(_ from: String?, _ to: String?) throws -> DateRange {
        let start = try date(from, field: "from")
        guard let range = DateRange(start, try date(to ?? from, field: "to")) else {
            throw WebError.badField("to", .backwards)
        }
        return range
    }

    static func category(_ text: String?) throws -> ExceptionalCategory? {
        guard let text, !text.isEmpty else { return nil }
        guard let category = ExceptionalCategory(rawValue: text) else {
            throw WebError.badField("exceptional_category", .notOneOf(ExceptionalCategory.allCases.map(\.rawValue)))
        }
        return category
    }

    static func dto(_ leave: LeaveRequest, store: Store) async throws -> RequestDTO {
        let school = try await store.reference.requireSchool(leave.school)
        let calendar = try await store.reference.calendar(for: school.school)
        return RequestDTO(
            id: leave.id.rawValue, upn: leave.upn.value, school: leave.school.description, from: leave.dates.start.iso,
            to: leave.dates.end.iso, reason: leave.reason, exceptionalCategory: leave.exceptionalCategory?.rawValue,
            status: leave.status.rawValue, schoolDays: LeaveRules.schoolDays(leave.dates, calendar: calendar).count,
            daysAgreedThisYear: try await store.leave.leaveDaysAgreed(
                leave.upn, school: leave.school, year: leave.dates.start.academicYear),
            extended: LeaveRules.isExtended(leave.dates), decision: leave.decision?.kind.rawValue,
            agreedFrom: leave.decision?.agreed?.start.iso, agreedTo: leave.decision?.agreed?.end.iso,
            decisionReason: leave.decision?.reason)
    }

    @Sendable static func reportAbsence(_ request: Request) async throws -> Response {
        guard case .pupil(let placement) = request.target else { throw Abort(.notFound) }
        let body = try decode(
            ReportDTO.self, request, shape: "{\"from\", \"to\", \"part\", \"reason\", \"note\"}")
        guard let reason = AbsenceReport.Reason(rawValue: body.reason) else {
            throw WebError.badField("reason", .notOneOf(AbsenceReport.Reason.allCases.map(\.rawValue)))
        }
        guard let part = AbsenceReport.Part(rawValue: body.part ?? "whole") else {
            throw WebError.badField("part", .notOneOf(AbsenceReport.Part.allCases.map(\.rawValue)))
        }
        let report = try await request.context.store.leave.reportAbsence(
            for: placement.upn, dates: try range(body.from, body.to), part: part, reason: reason,
            note: try Fields.absenceNote.check(body.note ?? ""), today: request.context.today, by: request.actor)
        let response = try APIController.json([
            "id": String(report.id), "proposed_code": report.proposedCode ?? "", "status": "reported",
        ])
        response.status = .created
        return response
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        guard case .pupil(let placement) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        // A school the pupil has left reads only the requests made to it while the pupil was on its roll.
        let seen: (LeaveRequest) -> Bool
        switch request.pupilView(placement) {
        case .full, .parent: seen = { _ in true }
        case .formerSchools(let schools): seen = { schools.contains($0.school) }
        case .none: seen = { _ in false }
        }
        var all: [RequestDTO] = []
        for leave in try await store.leave.leaveRequests(of: placement.upn) where seen(leave) {
            all.append(try await dto(leave, store: store))
        }
        return try APIController.json(all)
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        guard case .pupil(let placement) = request.target else { throw Abort(.notFound) }
        let body = try decode(
            NewRequestDTO.self, request,
            shape: "{\"from\", \"to\", \"reason\", \"exceptional_category\", \"details\"}")
        let store = request.context.store
        let leave = try await store.leave.requestLeave(
            for: placement.upn, dates: try range(body.from, body.to), reason: try Fields.leaveReason.check(body.reason),
            category: try category(body.exceptionalCategory),
            details: try Fields.leaveDetails.check(body.details ?? ""),
            siblings: try Fields.leaveSiblings.check(body.siblings ?? ""), today: request.context.today,
            by: request.actor)
        let response = try APIController.json(try await dto(leave, store: store))
        response.status = .created
        return response
    }

    @Sendable static func decide(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target,
            let id = request.parameters.get("request").flatMap({ LeaveRequestID($0) })
        else { throw Abort(.notFound) }
        let body = try decode(
            DecisionDTO.self, request,
            shape:
                "{\"decision\": \"agreed\"|\"refused\"|\"referred\", \"from\", \"to\", \"reason\", \"exceptional_category\"}"
        )
        guard let kind = LeaveDecision.Kind(rawValue: body.decision) else {
            throw WebError.badField("decision", .notOneOf(LeaveDecision.Kind.allCases.map(\.rawValue)))
        }
        let store = request.context.store
        do {
            let (decided, letter) = try await LeaveDecisions.decide(
                request, id: id, school: laestab, kind: kind,
                agreed: kind == .agreed ? try range(body.from, body.to) : nil, reason: body.reason,
                category: try category(body.exceptionalCategory))
            var answer = try await dto(decided, store: store)
            answer.letter = letter.rawValue
            return try APIController.json(answer)
        } catch let error as StoreError where [.decidedMeanwhile, .leave(.alreadyDecided)].contains(error) {
            // Refused with the decision that stands, so the caller need not ask again.
            guard let standing = try await store.leave.leaveRequest(id) else { throw error }
            let (_, key, _) = PageErrorMiddleware.describe(error)
            let response = try APIController.json(
                Conflict(
                    error: request.context.strings(key, request.language),
                    standing: try await dto(standing, store: store)))
            response.status = .conflict
            return response
        }
    }
}
