import AttendanceCore
import Foundation
import SQLKit

/// When and where a panel sits: what its invitation says.
public struct PanelSitting: Sendable, Hashable {
    public let on: LocalDate
    public let time: String
    public let place: String

    public init(on: LocalDate, time: String, place: String) {
        self.on = on
        self.time = time
        self.place = place
    }
}

extension EswRepository {
    /// Schedules a panel on an open case (its invitation is the caller's to produce). One at a time: the last
    /// panel's attendance is recorded first.
    public func schedulePanel(
        case id: EswCaseID, sitting: PanelSitting, members: String, by actor: AuditActor, at now: Date = Date()
    ) async throws -> AttendancePanel {
        let found = try await requireEswCase(id)
        let panels = try await attendancePanels(case: id)
        guard found.status == .allocated, panels.allSatisfy({ $0.attendance != nil }) else {
            throw StoreError.eswPanel(.panelNotNow)
        }
        return try await requirePanel(
            try await store.transaction { db in
                try await Self.insertPanel(
                    found, round: 1, sitting: sitting, members: members, by: actor, at: now, on: db)
            })
    }

    /// Records whether the parents came. If they did not come to a first panel, the second invitation's panel is
    /// scheduled with it (returned, for its letter); without notice, the case's next step becomes an ESW visit and
    /// the log says so: evidence of not engaging, for a penalty notice request.
    public func recordPanelAttendance(
        _ panelID: Int, _ attendance: PanelAttendance, second: PanelSitting?, today: LocalDate, by actor: AuditActor,
        at now: Date = Date()
    ) async throws -> AttendancePanel? {
        let panel = try await requirePanel(panelID)
        guard panel.attendance == nil, panel.on <= today else { throw StoreError.eswPanel(.notYetHeld) }
        let found = try await requireEswCase(panel.caseID)
        let needsSecond = !attendance.cameToPanel && panel.round == 1
        if needsSecond && second == nil { throw StoreError.eswPanel(.secondInvitationNeeded) }
        let at = Timestamp.text(now)
        let next = try await store.transaction { db -> Int? in
            try await db.update("attendance_panels").set("attendance", to: attendance.rawValue)
                .set("attendance_by", to: actor.name).where("id", .equal, panelID)
                .where("attendance", .is, SQLLiteral.null).run()
            try await Self.eswEvent(
                "panel", case: found.id, reason: nil,
                data: ["panel_on": panel.on.iso, "round": String(panel.round), "attendance": attendance.rawValue],
                by: actor, at: at, on: db)
            if attendance == .absentWithoutNotice {
                try await db.update("esw_cases").set("next_step", to: "home_visit_after_panel")
                    .set("next_step_on", to: today.adding(days: 5).iso).where("id", .equal, found.id.rawValue).run()
            }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "esw.panelAttendance", school: found.school, upn: found.upn,
                        subject: "esw/\(found.id)", after: auditJSON(["attendance": attendance.rawValue]))
                ], on: db)
            guard needsSecond, let second else { return nil }
            return try await Self.insertPanel(
                found, round: 2, sitting: second, members: panel.members, by: actor, at: now, on: db)
        }
        guard let next else { return nil }
        return try await requirePanel(next)
    }

    /// The panel's outcome, after a panel the parents came to.
    public func recordPanelOutcome(_ panelID: Int, outcome: String, by actor: AuditActor, at now: Date = Date())
        async throws
    {
        let panel = try await requirePanel(panelID)
        guard panel.attendance == .attended, panel.outcome == nil, !outcome.isEmpty else {
            throw StoreError.eswPanel(.noOutcomeNow)
        }
        let found = try await requireEswCase(panel.caseID)
        try await store.transaction { db in
            try await db.update("attendance_panels").set("outcome", to: outcome).set("outcome_by", to: actor.name)
                .where("id", .equal, panelID).where("outcome", .is, SQLLiteral.null).run()
            try await Self.eswEvent(
                "panel_outcome", case: found.id, reason: outcome, data: ["panel_on": panel.on.iso], by: actor,
                at: Timestamp.text(now), on: db)
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "esw.panelOutcome", school: found.school, upn: found.upn,
                        subject: "esw/\(found.id)", reason: outcome)
                ], on: db)
        }
    }

    public func attendancePanels(case id: EswCaseID) async throws -> [AttendancePanel] {
        try await attendancePanels(where: "case_id = \(bind: id.rawValue)")
    }

    public func requirePanel(_ id: Int) async throws -> AttendancePanel {
        guard let panel = try await attendancePanels(where: "id = \(bind: id)").first else {
            throw StoreError.notFound("panel \(id)")
        }
        return panel
    }

    private static func insertPanel(
        _ found: EswCase, round: Int, sitting: PanelSitting, members: String, by actor: AuditActor, at now: Date,
        on db: any SQLDatabase
    ) async throws -> Int {
        guard
            let id = try await db.insert(into: "attendance_panels")
                .columns("case_id", "round", "on_day", "at_time", "place", "members", "scheduled_by", "scheduled_at")
                .values(
                    SQLBind(found.id.rawValue), SQLBind(round), SQLBind(sitting.on.iso), SQLBind(sitting.time),
                    SQLBind(sitting.place), SQLBind(members), SQLBind(actor.name), SQLBind(Timestamp.text(now))
                ).returning("id").first(decodingColumn: "id", as: Int.self)
        else { throw StoreError.corrupt("a panel with no id") }
        try await eswEvent(
            "panel_scheduled", case: found.id, reason: nil,
            data: ["panel_on": sitting.on.iso, "time": sitting.time, "place": sitting.place, "round": String(round)],
            by: actor, at: Timestamp.text(now), on: db)
        try await Store.audit(
            [
                AuditEvent(
                    at: now, actor: actor, action: "esw.panel", school: found.school, upn: found.upn,
                    subject: "esw/\(found.id)",
                    after: auditJSON(["panel_on": sitting.on.iso, "round": String(round), "place": sitting.place]))
            ], on: db)
        return id
    }

    private func attendancePanels(where condition: SQLQueryString) async throws -> [AttendancePanel] {
        try await store.sql.raw("SELECT * FROM attendance_panels WHERE " + condition + " ORDER BY id").all().map {
            row in
            guard let on = LocalDate(iso: try row.decode(column: "on_day", as: String.self)) else {
                throw StoreError.corrupt("a panel with no day")
            }
            return AttendancePanel(
                id: try row.decode(column: "id", as: Int.self),
                caseID: EswCaseID(try row.decode(column: "case_id", as: Int.self)),
                round: try row.decode(column: "round", as: Int.self), on: on,
                time: try row.decode(column: "at_time", as: String.self),
                place: try row.decode(column: "place", as: String.self),
                members: try row.decode(column: "members", as: String.self),
                scheduledBy: try row.decode(column: "scheduled_by", as: String.self),
                attendance: try row.decode(column: "attendance", as: String?.self)
                    .flatMap(PanelAttendance.init(rawValue:)),
                outcome: try row.decode(column: "outcome", as: String?.self))
        }
    }
}
