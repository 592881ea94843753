import AttendanceCore
import Foundation
import SQLKit

extension PenaltyRepository {
    /// Opens a proceeding on the case it follows, with its first step: a prosecution on an ESW case, an Education
    /// Supervision Order on an ESW case, a School Attendance Order on a child missing education whose enquiries
    /// did not find them at a school. (A prosecution of an unpaid notice opens when the notice is referred.)
    public func openLegalProceeding(
        _ kind: LegalKind, origin: LegalOrigin, originID: Int, on day: LocalDate, detail: String, today: LocalDate,
        by actor: AuditActor, at now: Date = Date()
    ) async throws -> LegalProceeding {
        guard LegalRules.origins(kind).contains(origin) else { throw StoreError.legal(.wrongOrigin) }
        let upn: UPN
        switch origin {
        case .eswCase: upn = try await store.esw.requireEswCase(EswCaseID(originID)).upn
        case .missingEducation:
            let found = try await store.roll.requireMissingEducationCase(originID)
            // An order is for a child on no school's roll: not one the enquiries found at a school or back.
            if let outcome = found.outcome, [.foundAtSchool, .returned].contains(outcome) {
                throw StoreError.legal(.wrongOrigin)
            }
            upn = found.upn
        case .penaltyNotice: throw StoreError.legal(.wrongOrigin)
        }
        do {
            try LegalRules.check(
                LegalRules.first(kind), kind: kind, after: nil, lastDay: nil, on: day, today: today, detail: detail)
        } catch { throw StoreError.legal(error) }
        if try await legalProceedings().contains(where: {
            $0.kind == kind && $0.origin == origin && $0.originID == originID
        }) {
            throw StoreError.legal(.alreadyStarted)
        }
        let pupil = try await store.reference.requirePupil(upn)
        let id = try await store.transaction { db in
            try await Self.insertProceeding(
                kind, pupilID: pupil.id, upn: upn, origin: origin, originID: originID, on: day, detail: detail,
                by: actor, at: now, on: db)
        }
        return try await requireLegalProceeding(id)
    }

    /// Records the next step of a proceeding, in the order the rules give; the standing is read where it is
    /// written, so two clicks record one step.
    public func recordLegalStep(
        _ id: Int, step: LegalStep, on day: LocalDate, detail: String, today: LocalDate, by actor: AuditActor,
        at now: Date = Date()
    ) async throws -> LegalProceeding {
        let found = try await requireLegalProceeding(id)
        do {
            try LegalRules.check(
                step, kind: found.kind, after: found.last, lastDay: found.events.last?.on, on: day, today: today,
                detail: detail)
        } catch { throw StoreError.legal(error) }
        try await store.transaction { db in
            try await db.update("legal_proceedings").set("last_step", to: step.rawValue)
                .set("steps", to: found.events.count + 1).where("id", .equal, id)
                .where("steps", .equal, found.events.count).changeStanding()
            try await Self.insertStep(id, step, on: day, detail: detail, by: actor, at: now, on: db)
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "legal.\(step.rawValue)", upn: found.upn,
                        subject: "legal/\(id)", after: auditJSON(["on": day.iso, "detail": detail]))
                ], on: db)
        }
        return try await requireLegalProceeding(id)
    }

    static func insertProceeding(
        _ kind: LegalKind, pupilID: Int, upn: UPN, origin: LegalOrigin, originID: Int, on day: LocalDate,
        detail: String, by actor: AuditActor, at now: Date, on db: any SQLDatabase
    ) async throws -> Int {
        let first = LegalRules.first(kind)
        guard
            let id = try await db.insert(into: "legal_proceedings")
                .columns("pupil_id", "kind", "origin", "origin_id", "last_step", "steps")
                .values(
                    SQLBind(pupilID), SQLBind(kind.rawValue), SQLBind(origin.rawValue), SQLBind(originID),
                    SQLBind(first.rawValue), SQLBind(1)
                ).returning("id").first(decodingColumn: "id", as: Int.self)
        else { throw StoreError.corrupt("a proceeding with no id") }
        try await insertStep(id, first, on: day, detail: detail, by: actor, at: now, on: db)
        try await Store.audit(
            [
                AuditEvent(
                    at: now, actor: actor, action: "legal.\(first.rawValue)", upn: upn, subject: "legal/\(id)",
                    after: auditJSON(["kind": kind.rawValue, "origin": "\(origin.rawValue)/\(originID)"]))
            ], on: db)
        return id
    }

    private static func insertStep(
        _ id: Int, _ step: LegalStep, on day: LocalDate, detail: String, by actor: AuditActor, at now: Date,
        on db: any SQLDatabase
    ) async throws {
        try await db.insert(into: "legal_steps").columns("proceeding_id", "step", "on_day", "detail", "by", "at")
            .values(
                SQLBind(id), SQLBind(step.rawValue), SQLBind(day.iso), SQLBind(detail), SQLBind(actor.name),
                SQLBind(Timestamp.text(now))
            ).run()
    }

    /// Every proceeding in the authority, newest first.
    public func legalProceedings() async throws -> [LegalProceeding] {
        try await legalProceedings(where: "1 = 1")
    }

    public func requireLegalProceeding(_ id: Int) async throws -> LegalProceeding {
        guard let found = try await legalProceedings(where: "l.id = \(bind: id)").first else {
            throw StoreError.notFound("proceeding \(id)")
        }
        return found
    }

    private func legalProceedings(where condition: SQLQueryString) async throws -> [LegalProceeding] {
        var events: [Int: [LegalProceeding.Event]] = [:]
        for row in try await store.sql.raw(
            "SELECT s.* FROM legal_steps s JOIN legal_proceedings l ON l.id = s.proceeding_id WHERE " + condition
                + " ORDER BY s.id"
        ).all() {
            guard let step = LegalStep(rawValue: try row.decode(column: "step", as: String.self)),
                let day = LocalDate(iso: try row.decode(column: "on_day", as: String.self))
            else { throw StoreError.corrupt("a legal step that cannot be read") }
            events[try row.decode(column: "proceeding_id", as: Int.self), default: []].append(
                LegalProceeding.Event(
                    step: step, on: day, detail: try row.decode(column: "detail", as: String.self),
                    by: try row.decode(column: "by", as: String.self)))
        }
        return try await store.sql.raw(
            "SELECT l.*, p.upn FROM legal_proceedings l JOIN pupils p ON p.id = l.pupil_id WHERE " + condition
                + " ORDER BY l.id DESC"
        ).all().map { row in
            let id = try row.decode(column: "id", as: Int.self)
            guard let kind = LegalKind(rawValue: try row.decode(column: "kind", as: String.self)),
                let origin = LegalOrigin(rawValue: try row.decode(column: "origin", as: String.self))
            else { throw StoreError.corrupt("a proceeding that cannot be read") }
            return LegalProceeding(
                id: id, kind: kind, upn: try UPN(try row.decode(column: "upn", as: String.self)), origin: origin,
                originID: try row.decode(column: "origin_id", as: Int.self), events: events[id] ?? [])
        }
    }
}
