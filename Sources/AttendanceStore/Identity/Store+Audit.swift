import AttendanceCore
import Foundation
import SQLKit

/// Who did something and from where: carried into every write so the audit trail can say so.
public struct AuditActor: Sendable, Hashable {
    /// The user's email, or a system name ("system", "import", "demo").
    public let name: String
    public let ip: String?

    public init(_ name: String, ip: String? = nil) {
        self.name = name
        self.ip = ip
    }

    public static let system = AuditActor("system")
}

/// One line of the audit trail.
public struct AuditEvent: Sendable, Hashable {
    public var id: Int?
    public var at: Date
    public var actor: String
    public var ip: String?
    /// What happened, e.g. `sign_in`, `sign_in_failed`, `mark.amended`, `marks.recorded`, `user.created`, `export`.
    public var action: String
    public var school: LAESTAB?
    public var upn: UPN?
    /// What the action was about, when not a pupil: a user's email, a file name, a report.
    public var subject: String?
    public var before: String?
    public var after: String?
    public var reason: String?

    public init(
        at: Date = Date(), actor: AuditActor, action: String, school: LAESTAB? = nil, upn: UPN? = nil,
        subject: String? = nil, before: String? = nil, after: String? = nil, reason: String? = nil
    ) {
        self.at = at
        self.actor = actor.name
        self.ip = actor.ip
        self.action = action
        self.school = school
        self.upn = upn
        self.subject = subject
        self.before = before
        self.after = after
        self.reason = reason
    }
}

/// A search of the audit trail. `schools` nil means every school; an empty set finds nothing.
public struct AuditQuery: Sendable, Hashable {
    public var schools: Set<LAESTAB>?
    public var upn: UPN?
    public var actor: String?
    public var from: LocalDate?
    public var to: LocalDate?
    public var limit: Int

    public init(
        schools: Set<LAESTAB>? = nil, upn: UPN? = nil, actor: String? = nil, from: LocalDate? = nil,
        to: LocalDate? = nil, limit: Int = 500
    ) {
        self.schools = schools
        self.upn = upn
        self.actor = actor
        self.from = from
        self.to = to
        self.limit = limit
    }
}

/// The audit trail: what was done, by whom, when and why, append-only (table `audit_events`). A change writes its
/// line in its own transaction through `Store.audit(_:on:)`; this is for a line on its own and for searching.
public struct AuditRepository: Sendable {
    let store: Store
}

extension Store {
    public var auditTrail: AuditRepository { AuditRepository(store: self) }

    /// Appends events to the audit trail in the caller's transaction. There is no function that changes or removes one.
    static func audit(_ events: [AuditEvent], on db: any SQLDatabase) async throws {
        try await db.insertRows(
            into: "audit_events",
            columns: ["at", "actor", "ip", "action", "school_laestab", "upn", "subject", "before", "after", "reason"],
            rows: events.map { e in
                [
                    Timestamp.text(e.at), e.actor, e.ip, e.action, e.school?.description, e.upn?.value, e.subject,
                    e.before, e.after, e.reason,
                ]
            })
    }

}

extension AuditRepository {
    /// Appends events to the audit trail. There is no function that changes or removes one.
    public func record(_ events: [AuditEvent]) async throws {
        try await Store.audit(events, on: store.sql)
    }

    public func record(_ event: AuditEvent) async throws { try await record([event]) }

    /// Newest first. Events with no school (sign-ins, users) are shown only to a search of every school.
    public func search(_ query: AuditQuery) async throws -> [AuditEvent] {
        if let schools = query.schools, schools.isEmpty { return [] }
        var select = store.sql.select().column("*").from("audit_events")
        if let schools = query.schools {
            select = select.where("school_laestab", .in, schools.map(\.description).sorted())
        }
        if let upn = query.upn { select = select.where("upn", .equal, upn.value) }
        if let actor = query.actor, !actor.isEmpty { select = select.where("actor", .equal, actor.lowercased()) }
        if let from = query.from { select = select.where("at", .greaterThanOrEqual, from.iso) }
        if let to = query.to { select = select.where("at", .lessThan, to.adding(days: 1).iso) }
        let rows = try await select.orderBy("id", .descending).limit(query.limit).all()
        return try rows.map { row in
            var event = AuditEvent(
                at: Store.date(fromTimestamp: try row.decode(column: "at", as: String.self)),
                actor: AuditActor(
                    try row.decode(column: "actor", as: String.self), ip: try row.decode(column: "ip", as: String?.self)
                ),
                action: try row.decode(column: "action", as: String.self),
                school: try row.decode(column: "school_laestab", as: String?.self).flatMap { LAESTAB(text: $0) },
                upn: try row.decode(column: "upn", as: String?.self).flatMap { try? UPN($0) },
                subject: try row.decode(column: "subject", as: String?.self),
                before: try row.decode(column: "before", as: String?.self),
                after: try row.decode(column: "after", as: String?.self),
                reason: try row.decode(column: "reason", as: String?.self))
            event.id = try row.decode(column: "id", as: Int.self)
            return event
        }
    }
}

/// A small JSON object for the before/after columns, with sorted keys so equal states read the same.
public func auditJSON(_ values: [String: String?]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let present = values.compactMapValues { $0 }
    return String(decoding: (try? encoder.encode(present)) ?? Data("{}".utf8), as: UTF8.self)
}

/// The fields that differ between two states, as the before and after JSON of an audit line; nil when equal.
func auditDiff(_ before: [String: String?], _ after: [String: String?]) -> (before: String, after: String)? {
    let keys = Set(before.keys).union(after.keys).filter { (before[$0] ?? nil) != (after[$0] ?? nil) }
    guard !keys.isEmpty else { return nil }
    return (
        auditJSON(Dictionary(uniqueKeysWithValues: keys.map { ($0, before[$0] ?? nil) })),
        auditJSON(Dictionary(uniqueKeysWithValues: keys.map { ($0, after[$0] ?? nil) }))
    )
}

extension AuditEvent {
    /// `KIND.created` with the new state, `KIND.updated` with the fields that changed, or nil when nothing did.
    static func change(
        _ kind: String, old: [String: String?]?, new: [String: String?], actor: AuditActor, school: LAESTAB?, upn: UPN?,
        subject: String?
    ) -> AuditEvent? {
        guard let old else {
            return AuditEvent(
                actor: actor, action: "\(kind).created", school: school, upn: upn, subject: subject,
                after: auditJSON(new))
        }
        guard let diff = auditDiff(old, new) else { return nil }
        return AuditEvent(
            actor: actor, action: "\(kind).updated", school: school, upn: upn, subject: subject, before: diff.before,
            after: diff.after)
    }
}
