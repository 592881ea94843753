import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Foundation
import Vapor

/// The Education Social Work service: the authority's inbox of referrals (the education lead allocates or
/// returns), an ESW's caseload across their schools, and each case with its log. Every step goes through the
/// store's checks (`EswRules`); a refusal is said on the page it came from.
enum EswController {
    @Sendable static func inbox(_ request: Request) async throws -> Response {
        let notice = request.query[String.self, at: "saved"] != nil ? request.text("esw.saved") : nil
        return try await renderInbox(request, notice: notice, error: nil, status: .ok)
    }

    static func renderInbox(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        let store = request.context.store
        let text = request.text
        let principal = try request.signedIn
        // The lead allocates for every school; a senior ESW for the schools they are senior ESW of.
        let cases = try await store.esw.eswCases(schools: nil).filter {
            principal.allows(.allocateReferrals, .school($0.school))
        }
        let pupils = try await store.reference.pupils(cases.map(\.upn))
        let schools = Dictionary(
            uniqueKeysWithValues: try await store.reference.schools().map { ($0.school.laestab, $0.school) })
        let workers = try await store.esw.eswWorkers()
        let names = try await request.names()
        var referrals: [(area: Int?, referral: EswInboxPage.Referral)] = []
        for found in cases where found.status == .referred {
            let school = schools[found.school]
            let options = (workers[found.school] ?? []).map { Option(value: $0.email, label: $0.displayName) }
            referrals.append(
                (
                    school?.eswArea,
                    EswInboxPage.Referral(
                        line: .make(found, pupil: pupils[found.upn], school: school, names: names, text: text),
                        facts: try await facts(found, request: request), workers: options,
                        noWorkers: options.isEmpty ? text("esw.noWorkers", [:]) : nil,
                        allocateAction: SiteURL.school(.allocateEsw, found.school, id: found.id),
                        returnAction: SiteURL.school(.returnEsw, found.school, id: found.id))
                ))
        }
        let areas = Dictionary(grouping: referrals, by: \.area).sorted { ($0.key ?? .max) < ($1.key ?? .max) }.map {
            EswInboxPage.Area(title: EswWords.area($0.key, text: text), referrals: $0.value.map(\.referral))
        }
        let open = cases.filter { $0.status == .allocated }.map {
            EswCaseLine.make($0, pupil: pupils[$0.upn], school: schools[$0.school], names: names, text: text)
        }
        return try Page.render(
            EswInboxPage(
                title: text("esw.inboxTitle", [:]), intro: text("esw.inboxIntro", [:]), notice: notice, error: error,
                areas: areas, noReferrals: text("esw.noReferrals", [:]), openTitle: text("esw.openTitle", [:]),
                open: open, hasOpen: !open.isEmpty, words: EswWords(text: text)), request: request, status: status)
    }

    @Sendable static func allocate(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let to = ((try? request.content.get(String.self, at: "to")) ?? "").trimmingCharacters(in: .whitespaces)
        return try await step(request, back: nil) {
            try await requireCase(request, id, at: laestab)
            _ = try await request.context.store.esw.allocateEswCase(id, to: to, by: request.actor)
        }
    }

    /// The case page again, with the form's sentence and what it names.
    static func refuse(_ request: Request, _ key: String, _ refusal: FormRefusal) async throws -> Response {
        try await renderCase(
            request, notice: nil, error: request.text(key) + request.refusalDetail(refusal.error),
            status: .unprocessableEntity)
    }

    @Sendable static func giveBack(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let form = try request.form(EswForms.GiveBack.self)
        return try await step(request, back: nil) {
            try await requireCase(request, id, at: laestab)
            _ = try await request.context.store.esw.returnEswCase(id, reason: form.reason, by: request.actor)
        }
    }

    /// A school's referral by hand, from the pupil's page: the school's notes and the concerns it knows of.
    @Sendable static func refer(_ request: Request) async throws -> Response {
        let (laestab, upn) = try await request.pupilOnSchoolRoll()
        let form: EswForms.Refer
        do { form = try request.form(EswForms.Refer.self) } catch is FormRefusal {
            throw WebError.refused(.eswNeedNotes)
        }
        _ = try await request.context.store.esw.referToEsw(
            upn, school: laestab, source: .school, notes: form.notes, concerns: form.concerns,
            on: request.context.today, by: request.actor)
        return Page.redirect(SiteURL.pupil(upn, fragment: "esw", query: ["saved": "esw"]))
    }

    /// Takes a step and goes back to the page it came from (the case, or the inbox); a refusal by the service's
    /// rules is said there.
    static func step(_ request: Request, back: (LAESTAB, EswCaseID)?, _ work: () async throws -> Void) async throws
        -> Response
    {
        do {
            try await work()
        } catch StoreError.esw(let problem) {
            let error = request.text("error.esw.\(problem.key)")
            let status: HTTPStatus = if case .notNow = problem { .conflict } else { .unprocessableEntity }
            if back != nil { return try await renderCase(request, notice: nil, error: error, status: status) }
            return try await renderInbox(request, notice: nil, error: error, status: status)
        } catch StoreError.eswPanel(let problem) {
            let status: HTTPStatus = problem == .panelNotNow ? .conflict : .unprocessableEntity
            return try await renderCase(
                request, notice: nil, error: request.text("error.esw.\(problem.key)"), status: status)
        } catch is InvitationNotMade {
            return try await renderCase(
                request, notice: nil, error: request.text("panel.noLetter"), status: .unprocessableEntity)
        } catch StoreError.eswPlan(let problem) {
            let error = request.text("error.esw.\(problem.key)", problemValues(problem, text: request.text))
            let status: HTTPStatus = if case .notNow = problem { .conflict } else { .unprocessableEntity }
            return try await renderCase(request, notice: nil, error: error, status: status)
        } catch StoreError.notFound {
            throw Abort(.notFound)
        }
        if let (laestab, id) = back {
            return Page.redirect(SiteURL.school(.eswCase, laestab, id: id, query: ["saved": "1"]))
        }
        return Page.redirect(SiteURL.eswInbox.path(query: ["saved": "1"]))
    }

    static func caseTarget(_ request: Request) throws -> (LAESTAB, EswCaseID) {
        guard let laestab = request.parameters.get("laestab").flatMap({ LAESTAB(text: $0) }),
            let id = request.parameters.get("id", as: EswCaseID.self)
        else { throw Abort(.notFound) }
        return (laestab, id)
    }
}
