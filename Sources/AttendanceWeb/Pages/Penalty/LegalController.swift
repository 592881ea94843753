import AttendanceCore
import AttendanceStore
import Foundation
import Vapor

/// Prosecutions and orders, for the Education Lead only: open one on the case it follows, record each step in
/// order. The rules (`LegalRules`) and the standing are the store's; a refusal is said on the page.
enum LegalController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        let notice = request.query[String.self, at: "saved"] != nil ? request.text("legal.saved") : nil
        return try await render(request, notice: notice, error: nil, status: .ok)
    }

    static func render(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        let store = request.context.store
        let proceedings = try await store.penalties.legalProceedings()
        let eswCases = try await store.esw.eswCases(schools: nil)
        let missing = try await store.roll.missingEducationCases()
        let pupils = try await store.reference.pupils(proceedings.map(\.upn) + eswCases.map(\.upn) + missing.map(\.upn))
        // A prosecution of an unpaid notice goes to court with the case's kept evidence pack.
        var packs: [Int: String] = [:]
        let cases = try await store.penalties.penaltyCases(school: nil)
        for found in proceedings where found.origin == .penaltyNotice {
            if let penalty = cases.first(where: { $0.notices.contains { $0.id == found.originID } }),
                penalty.pack != .none
            {
                packs[found.id] = SiteURL.school(.penaltyPack, penalty.school, id: penalty.id)
            }
        }
        return try Page.render(
            LegalPage.make(
                proceedings: proceedings, pupils: pupils, packs: packs, eswCases: eswCases, missing: missing,
                today: request.context.today, names: try await request.names(), notice: notice, error: error,
                text: request.text),
            request: request, status: status)
    }

    static func form(_ request: Request) throws -> LegalForm {
        do { return try request.form(LegalForm.self) } catch is FormRefusal { throw WebError.refused(.legalBadDay) }
    }

    @Sendable static func open(_ request: Request) async throws -> Response {
        let form = try form(request)
        let (day, detail) = (form.day, form.detail)
        guard let kind = form.kind, let (origin, id) = form.origin else { throw WebError.refused(.legalWrongOrigin) }
        return try await step(request) {
            _ = try await request.context.store.penalties.openLegalProceeding(
                kind, origin: origin, originID: id, on: day, detail: detail, today: request.context.today,
                by: request.actor)
        }
    }

    @Sendable static func record(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: Int.self) else { throw Abort(.notFound) }
        let form = try form(request)
        let (day, detail) = (form.day, form.detail)
        guard let next = form.step else {
            throw WebError.refused(.legalOutOfOrder)
        }
        return try await step(request) {
            _ = try await request.context.store.penalties.recordLegalStep(
                id, step: next, on: day, detail: detail, today: request.context.today, by: request.actor)
        }
    }

    /// Runs a step; a refusal by the rules is said on the page with its status.
    static func step(_ request: Request, _ work: () async throws -> Void) async throws -> Response {
        do {
            try await work()
        } catch let error as StoreError {
            guard case .legal = error else { throw error }
            let (status, key, _) = PageErrorMiddleware.describe(error)
            return try await render(request, notice: nil, error: request.text(key), status: status)
        }
        return Page.redirect(SiteURL.legal.path(query: ["saved": "1"]))
    }
}

/// A step of a prosecution or an order as the legal page's forms give it: its day and a note (both forms), and
/// for a new proceeding its kind and the case it follows ("penalty/12"), for a step which step.
struct LegalForm: Form {
    let day: LocalDate
    let detail: String
    let kind: LegalKind?
    let origin: (LegalOrigin, Int)?
    let step: LegalStep?

    init(_ fields: FormFields) throws {
        day = try fields.date("day")
        detail = try fields.words("detail", limit: 500)
        kind = LegalKind(rawValue: fields.raw("kind"))
        let parts = fields.raw("case").split(separator: "/")
        if parts.count == 2, let origin = LegalOrigin(rawValue: String(parts[0])), let id = Int(parts[1]) {
            self.origin = (origin, id)
        } else {
            origin = nil
        }
        step = LegalStep(rawValue: fields.raw("step"))
    }
}
