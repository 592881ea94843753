import AttendanceCore
import Foundation
import SQLKit

/// The concerns the Education Lead raises with heads (table `concerns`): raised, answered by the head, closed by
/// the lead. Each step reads the concern's standing in the transaction that writes it, so two clicks make one
/// step, and is audited.
public struct ConcernRepository: Sendable {
    let store: Store
}

extension Store {
    public var concerns: ConcernRepository { ConcernRepository(store: self) }
}

extension ConcernRepository {
    /// Raises a concern with a school's head: what is asked, by when (today or later), and the figures behind it.
    @discardableResult
    public func raise(
        _ laestab: LAESTAB, request typed: String, dueBy: LocalDate, figures: Concern.Figures, today: LocalDate,
        by actor: AuditActor, at now: Date = Date()
    ) async throws -> Int {
        let request: String
        do { request = try Concern.text(typed) } catch { throw StoreError.concern(error) }
        guard dueBy >= today else { throw StoreError.concern(.duePassed) }
        let school = try await store.reference.requireSchool(laestab)
        return try await store.transaction { db in
            let row = try await db.insert(into: "concerns")
                .columns(
                    "school_id", "request", "due_by", "attendance_tenths", "target_tenths", "persistent_tenths",
                    "status", "raised_by", "raised_at", "raised_on"
                )
                .values(
                    SQLBind(school.id), SQLBind(request), SQLBind(dueBy.iso), SQLBind(figures.attendanceTenths),
                    SQLBind(figures.targetTenths), SQLBind(figures.persistentTenths),
                    SQLBind(Concern.Status.raised.rawValue), SQLBind(actor.name), SQLBind(Timestamp.text(now)),
                    SQLBind(today.iso)
                )
                .returning("id").first()
            guard let id = try row?.decode(column: "id", as: Int.self) else {
                throw StoreError.corrupt("a concern with no id")
            }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "concern.raised", school: laestab, subject: "concern/\(id)",
                        after: auditJSON(["due_by": dueBy.iso]))
                ], on: db)
            return id
        }
    }

    /// The head answers (`answer`, from raised) or the lead closes (`close`, from answered): the step is taken only
    /// if the concern stands where the step starts, read and written in one transaction.
    public func take(
        _ step: Concern.Step, concern id: Int, school laestab: LAESTAB? = nil, answer typed: String? = nil,
        by actor: AuditActor, at now: Date = Date()
    ) async throws {
        let answer: String?
        do { answer = step == .answer ? try Concern.text(typed ?? "") : nil } catch {
            throw StoreError.concern(error)
        }
        let schoolID: Int? =
            if let laestab { try await store.reference.requireSchool(laestab).id } else { nil }
        // Read before the transaction: nothing inside it may wait on another connection.
        let schools = try await schoolsByID()
        try await store.transaction { db in
            var query = db.update("concerns").set("status", to: step.to.rawValue)
                .where("id", .equal, id).where("status", .equal, step.from.rawValue)
            if let schoolID { query = query.where("school_id", .equal, schoolID) }
            switch step {
            case .answer:
                query = query.set("answer", to: answer).set("answered_by", to: actor.name)
                    .set("answered_at", to: Timestamp.text(now))
            case .close:
                query = query.set("closed_by", to: actor.name).set("closed_at", to: Timestamp.text(now))
            }
            let changed = try await query.returning("school_id").all()
            guard let row = changed.first else {
                // Another school's concern is not there to answer; one that has moved on is refused as such.
                let stored = try await db.select().column("*").from("concerns").where("id", .equal, id).first()
                guard let stored, let found = try? Self.concern(stored, schools: schools),
                    laestab.map({ $0 == found.school }) ?? true
                else {
                    throw StoreError.notFound("concern \(id)")
                }
                throw StoreError.concern(.notNow)
            }
            let at = schools[try row.decode(column: "school_id", as: Int.self)]
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "concern.\(step.to.rawValue)", school: at,
                        subject: "concern/\(id)")
                ], on: db)
        }
    }

    /// Concerns, open ones first (raised, then answered), then the newest; one school's, or every school's.
    public func concerns(_ laestab: LAESTAB? = nil) async throws -> [Concern] {
        var query = store.reader.select().column("*").from("concerns")
        if let laestab {
            query = query.where("school_id", .equal, try await store.reference.requireSchool(laestab).id)
        }
        let schools = try await schoolsByID()
        let order = Concern.Status.allCases
        return try await query.orderBy("id", .descending).all().map { try Self.concern($0, schools: schools) }
            .sorted { (order.firstIndex(of: $0.status) ?? 0) < (order.firstIndex(of: $1.status) ?? 0) }
    }

    /// One concern, if it exists.
    public func concern(_ id: Int) async throws -> Concern? {
        let schools = try await schoolsByID()
        guard
            let row = try await store.reader.select().column("*").from("concerns").where("id", .equal, id).first()
        else { return nil }
        return try Self.concern(row, schools: schools)
    }

    private func schoolsByID() async throws -> [Int: LAESTAB] {
        Dictionary(
            try await store.reference.schools().map { ($0.id, $0.school.laestab) }, uniquingKeysWith: { a, _ in a })
    }

    static func concern(_ row: any SQLRow, schools: [Int: LAESTAB]) throws -> Concern {
        guard let school = schools[try row.decode(column: "school_id", as: Int.self)],
            let status = Concern.Status(rawValue: try row.decode(column: "status", as: String.self)),
            let dueBy = LocalDate(iso: try row.decode(column: "due_by", as: String.self)),
            let raisedOn = LocalDate(iso: try row.decode(column: "raised_on", as: String.self))
        else { throw StoreError.corrupt("a concern that does not read back") }
        return Concern(
            id: try row.decode(column: "id", as: Int.self), school: school,
            request: try row.decode(column: "request", as: String.self),
            figures: Concern.Figures(
                attendanceTenths: try row.decode(column: "attendance_tenths", as: Int?.self),
                targetTenths: try row.decode(column: "target_tenths", as: Int?.self),
                persistentTenths: try row.decode(column: "persistent_tenths", as: Int?.self)),
            dueBy: dueBy, status: status, raisedBy: try row.decode(column: "raised_by", as: String.self),
            raisedAt: try row.decode(column: "raised_at", as: String.self), raisedOn: raisedOn,
            answer: try row.decode(column: "answer", as: String?.self),
            answeredBy: try row.decode(column: "answered_by", as: String?.self),
            answeredAt: try row.decode(column: "answered_at", as: String?.self),
            closedBy: try row.decode(column: "closed_by", as: String?.self),
            closedAt: try row.decode(column: "closed_at", as: String?.self))
    }
}
