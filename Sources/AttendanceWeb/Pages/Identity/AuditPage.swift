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
        let before: String
        let after: String
        let reason: String

        init(_ event: AuditEvent, text: @escaping (String, [String: String]) -> String) {
            at = Timestamp.text(event.at)
            actor = RecordWords.actor(event.actor, text: text)
            ip = event.ip
            action = AuditWords.action(event.action, text: text)
            school = event.school?.description ?? ""
            about = event.upn?.value ?? AuditWords.about(event.subject ?? "", text: text)
            before = AuditWords.state(event.before, text: text)
            after = AuditWords.state(event.after, text: text)
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
    let intro: String
    let upn: String
    let user: String
    let from: String
    let to: String
    let csvHref: String
    let auditAction: String
    let events: [Event]
    let hasEvents: Bool
    let none: String
    let search: String
    let export: String
    let upnLabel: String
    let userLabel: String
    let fromLabel: String
    let toLabel: String
    let whenLabel: String
    let whoLabel: String
    let whatLabel: String
    let schoolLabel: String
    let aboutLabel: String
    let beforeLabel: String
    let afterLabel: String
    let reasonLabel: String
    let error: String?

    static func make(
        filters: Filters, events: [AuditEvent], text: (String) -> String,
        words: @escaping (String, [String: String]) -> String
    ) -> AuditPage {
        AuditPage(
            title: text("audit.title"), intro: text("audit.intro"), upn: filters.upn, user: filters.user,
            from: filters.from, to: filters.to, csvHref: SiteURL.auditCSV.path(query: filters.query),
            auditAction: SiteURL.audit.path(), events: events.map { Event($0, text: words) },
            hasEvents: !events.isEmpty,
            none: text("audit.none"), search: text("audit.search"), export: text("audit.export"),
            upnLabel: text("audit.filterUPN"), userLabel: text("audit.filterUser"), fromLabel: text("audit.filterFrom"),
            toLabel: text("audit.filterTo"), whenLabel: text("audit.when"), whoLabel: text("audit.who"),
            whatLabel: text("audit.what"), schoolLabel: text("audit.school"), aboutLabel: text("audit.about"),
            beforeLabel: text("audit.before"), afterLabel: text("audit.after"), reasonLabel: text("audit.reason"),
            error: filters.valid ? nil : text("audit.badFilter"))
    }
}
