import AttendanceCore
import AttendanceStore

/// The audit trail page: filters (pupil, user, dates), the matching events, and the CSV export of the same.
struct AuditPage: PageModel {
    static let template = "audit"

    struct Event: Sendable {
        let at: String
        let actor: String
        let ip: String?
        let action: String
        let school: String
        let about: String
        /// The pupil's page, for a line about a pupil.
        let aboutHref: String?
        let before: String
        let after: String
        let reason: String

        init(
            _ event: AuditEvent, names: [String: String], pupils: [UPN: String],
            text: @escaping (String, [String: String]) -> String
        ) {
            at = DateText.moment(event.at, text)
            actor = RecordWords.actor(event.actor, names: names, text: text)
            ip = event.ip
            action = AuditWords.action(event.action, text: text)
            school = event.school?.description ?? ""
            about =
                event.upn.map { pupils[$0] ?? $0.value }
                ?? AuditWords.about(event.subject ?? "", names: names, text: text)
            aboutHref = event.upn.map { SiteURL.pupil($0) }
            before = AuditWords.state(event.before, names: names, text: text)
            after = AuditWords.state(event.after, names: names, text: text)
            reason = RecordWords.reason(event.reason, text: text)
        }
    }

    /// The filters as typed, shown again in the form.
    struct Filters: Sendable {
        let upn: String
        let user: String
        let from: String
        let to: String
        let query: [(String, String)]
        let valid: Bool
    }

    let title: String
    let upn: String
    let user: String
    let from: String
    let to: String
    let csvHref: String
    let auditAction: String
    let events: [Event]
    let hasEvents: Bool
    let error: String?

    static func make(
        filters: Filters, events: [AuditEvent], names: [String: String], pupils: [UPN: String],
        text: (String) -> String, words: @escaping (String, [String: String]) -> String
    ) -> AuditPage {
        AuditPage(
            title: text("audit.title"), upn: filters.upn, user: filters.user,
            from: filters.from, to: filters.to, csvHref: SiteURL.auditCSV.path(query: filters.query),
            auditAction: SiteURL.audit.path(),
            events: events.map { Event($0, names: names, pupils: pupils, text: words) },
            hasEvents: !events.isEmpty,
            error: filters.valid ? nil : text("audit.badFilter"))
    }
}
