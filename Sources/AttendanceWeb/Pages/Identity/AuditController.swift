import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Vapor

/// The audit trail: searched by pupil, user and dates; exported as CSV. A head teacher sees their school's
/// events, the education lead every event.
enum AuditController {
    struct Filters {
        var upn: UPN?
        var user: String
        var from: LocalDate?
        var to: LocalDate?
        var valid = true
        /// The filters given, for the CSV link.
        var query: [(String, String)]

        init(_ request: Request) {
            let upnText = (request.query[String.self, at: "upn"] ?? "").trimmingCharacters(in: .whitespaces)
            let fromText = request.query[String.self, at: "from"] ?? ""
            let toText = request.query[String.self, at: "to"] ?? ""
            user = (request.query[String.self, at: "user"] ?? "").trimmingCharacters(in: .whitespaces)
            upn = upnText.isEmpty ? nil : try? UPN(upnText)
            from = fromText.isEmpty ? nil : LocalDate(entered: fromText)
            to = toText.isEmpty ? nil : LocalDate(entered: toText)
            valid =
                (upnText.isEmpty || upn != nil) && (fromText.isEmpty || from != nil) && (toText.isEmpty || to != nil)
            query = [("upn", upnText), ("user", user), ("from", fromText), ("to", toText)].filter { !$0.1.isEmpty }
        }

        func search(for grants: [RoleGrant], limit: Int) -> AuditQuery {
            AuditQuery(
                schools: AccessPolicy.auditableSchools(grants), upn: upn, actor: user.isEmpty ? nil : user, from: from,
                to: to, limit: limit)
        }
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        let filters = Filters(request)
        let events =
            filters.valid
            ? try await request.context.store.auditTrail.search(filters.search(for: principal.grants, limit: 500)) : []
        let page = AuditPage.make(
            filters: AuditPage.Filters(
                upn: filters.upn?.value ?? (request.query[String.self, at: "upn"] ?? ""), user: filters.user,
                from: request.query[String.self, at: "from"] ?? "", to: request.query[String.self, at: "to"] ?? "",
                query: filters.query, valid: filters.valid),
            events: events, names: try await request.names(),
            pupils: try await PupilNames.of(Set(events.compactMap(\.upn)), request), text: { request.text($0) },
            words: request.text)
        return try Page.render(page, request: request, status: filters.valid ? .ok : .badRequest)
    }

    @Sendable static func csv(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        let filters = Filters(request)
        guard filters.valid else { throw WebError.badField("filters", .missingOrInvalid) }
        let store = request.context.store
        let events = try await store.auditTrail.search(filters.search(for: principal.grants, limit: 1_000_000))
        var text = CSV.line([
            "id", "at", "actor", "ip", "action", "school", "upn", "subject", "before", "after", "reason",
        ])
        for e in events {
            text += CSV.line([
                e.id.map(String.init) ?? "", Timestamp.text(e.at), e.actor, e.ip ?? "", e.action,
                e.school?.description ?? "", e.upn?.value ?? "", e.subject ?? "", e.before ?? "", e.after ?? "",
                e.reason ?? "",
            ])
        }
        // An export is itself recorded, with what was asked for.
        try await store.auditTrail.record(
            AuditEvent(
                actor: request.actor, action: "export",
                school: AccessPolicy.auditableSchools(principal.grants)?.sorted().first,
                subject: SiteURL.auditCSV.path(query: filters.query).dropFirst().description,
                after: "{\"rows\":\(events.count)}"))
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: "audit.csv")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
