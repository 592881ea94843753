import AttendanceCore
import Foundation
import SQLKit

/// The rewards draws a school has made (table `reward_draws`): each with its seed, its entrants and its winners,
/// so anyone can run `RewardDraw.winners` again and see the same names. Each draw is in the audit trail.
public struct RewardRepository: Sendable {
    let store: Store
}

extension Store {
    public var rewards: RewardRepository { RewardRepository(store: self) }
}

/// One draw as recorded.
public struct RecordedDraw: Sendable, Hashable {
    public let id: Int
    public let school: LAESTAB
    public let reward: RewardKind
    public let span: RewardSpan
    /// The days counted when the draw was made (a term so far, or the school year so far).
    public let period: DateRange
    public let seed: UInt64
    /// How many winners were asked for.
    public let wanted: Int
    /// Everyone eligible, in UPN order; the winners in the order drawn.
    public let entrants: [UPN]
    public let winners: [UPN]
    public let drawnBy: String
    public let drawnAt: String
}

extension RewardRepository {
    /// Draws `wanted` winners among `entrants` with the seed, and keeps the draw and its audit line in one
    /// transaction. A reward is drawn once for a term or a year (`span`, known by its first day): asked again (two
    /// clicks, another day of the same term, or hoping for other winners), the draw already made is returned and
    /// `made` is false.
    @discardableResult
    public func draw(
        _ laestab: LAESTAB, reward: RewardKind, span: RewardSpan, period: DateRange, entrants: [UPN], wanted: Int,
        seed: UInt64,
        by actor: AuditActor, at now: Date = Date()
    ) async throws -> (draw: RecordedDraw, made: Bool) {
        let school = try await store.reference.requireSchool(laestab)
        let pool = Array(Set(entrants)).sorted { $0.value < $1.value }
        let winners = RewardDraw.winners(from: pool, seed: seed, count: wanted)
        let made = try await store.transaction { db in
            let written = try await db.insert(into: "reward_draws")
                .columns(
                    "school_id", "reward", "span", "period_from", "period_to", "seed", "wanted", "entrants", "winners",
                    "drawn_by", "drawn_at"
                )
                .values(
                    SQLBind(school.id), SQLBind(reward.rawValue), SQLBind(span.rawValue), SQLBind(period.start.iso),
                    SQLBind(period.end.iso),
                    SQLBind(String(seed)), SQLBind(wanted), SQLBind(pool.map(\.value).joined(separator: " ")),
                    SQLBind(winners.map(\.value).joined(separator: " ")), SQLBind(actor.name),
                    SQLBind(Timestamp.text(now))
                )
                .ignoringConflicts(with: ["school_id", "reward", "span", "period_from"]).returning("id").all()
            guard !written.isEmpty else { return false }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "reward.drawn", school: laestab,
                        subject: "reward/\(reward.rawValue)/\(span.rawValue)/\(period.start.iso)",
                        after: auditJSON([
                            "seed": String(seed), "entrants": String(pool.count), "winners": String(winners.count),
                        ]))
                ], on: db)
            return true
        }
        guard let kept = try await draw(laestab, reward: reward, span: span, from: period.start) else {
            throw StoreError.corrupt("a draw that does not read back")
        }
        return (kept, made)
    }

    /// The draw of a reward for the term or year that starts on `from`, if one was made.
    public func draw(_ laestab: LAESTAB, reward: RewardKind, span: RewardSpan, from: LocalDate) async throws
        -> RecordedDraw?
    {
        try await draws(laestab).first { $0.reward == reward && $0.span == span && $0.period.start == from }
    }

    /// The school's draws, the latest first.
    public func draws(_ laestab: LAESTAB) async throws -> [RecordedDraw] {
        let school = try await store.reference.requireSchool(laestab)
        let rows = try await store.reader.select()
            .columns(
                "id", "reward", "span", "period_from", "period_to", "seed", "wanted", "entrants", "winners", "drawn_by",
                "drawn_at"
            )
            .from("reward_draws").where("school_id", .equal, school.id).orderBy("id", .descending).all()
        return try rows.map { row in
            func upns(_ column: String) throws -> [UPN] {
                try row.decode(column: column, as: String.self).split(separator: " ").map { try UPN(String($0)) }
            }
            guard let reward = RewardKind(rawValue: try row.decode(column: "reward", as: String.self)),
                let span = RewardSpan(rawValue: try row.decode(column: "span", as: String.self)),
                let from = LocalDate(iso: try row.decode(column: "period_from", as: String.self)),
                let to = LocalDate(iso: try row.decode(column: "period_to", as: String.self)),
                let period = DateRange(from, to),
                let seed = UInt64(try row.decode(column: "seed", as: String.self))
            else { throw StoreError.corrupt("a rewards draw that does not read back") }
            return RecordedDraw(
                id: try row.decode(column: "id", as: Int.self), school: laestab, reward: reward, span: span,
                period: period,
                seed: seed, wanted: try row.decode(column: "wanted", as: Int.self), entrants: try upns("entrants"),
                winners: try upns("winners"), drawnBy: try row.decode(column: "drawn_by", as: String.self),
                drawnAt: try row.decode(column: "drawn_at", as: String.self))
        }
    }

    /// Claims a reward's certificate for each pupil who has not had it (for the term or year that starts on
    /// `from`), in one transaction, and returns those claimed: the rest had theirs already. Two clicks at once
    /// claim each pupil once.
    public func claimCertificates(
        _ laestab: LAESTAB, reward: RewardKind, span: RewardSpan, from: LocalDate, pupils: [UPN],
        by actor: AuditActor, at now: Date = Date()
    ) async throws -> [UPN] {
        let school = try await store.reference.requireSchool(laestab)
        return try await store.transaction { db in
            let ids = try await ReferenceRepository.pupilIDs(for: pupils, on: db)
            var claimed: [UPN] = []
            for upn in pupils {
                guard let id = ids[upn] else { continue }
                let written = try await db.insert(into: "reward_certificates")
                    .columns("school_id", "reward", "span", "period_from", "pupil_id", "made_by", "made_at")
                    .values(
                        SQLBind(school.id), SQLBind(reward.rawValue), SQLBind(span.rawValue), SQLBind(from.iso),
                        SQLBind(id), SQLBind(actor.name), SQLBind(Timestamp.text(now))
                    )
                    .ignoringConflicts(with: ["school_id", "reward", "span", "period_from", "pupil_id"])
                    .returning("id").all()
                if !written.isEmpty { claimed.append(upn) }
            }
            return claimed
        }
    }

    /// Gives back claims for pupils no certificate was made for (they no longer qualify, have no contact, or the
    /// letters could not be made), so that they can be made later.
    public func releaseCertificates(
        _ laestab: LAESTAB, reward: RewardKind, span: RewardSpan, from: LocalDate, pupils: [UPN]
    ) async throws {
        guard !pupils.isEmpty else { return }
        let school = try await store.reference.requireSchool(laestab)
        try await store.transaction { db in
            let ids = try await ReferenceRepository.pupilIDs(for: pupils, on: db)
            try await db.delete(from: "reward_certificates").where("school_id", .equal, school.id)
                .where("reward", .equal, reward.rawValue).where("span", .equal, span.rawValue)
                .where("period_from", .equal, from.iso).where("pupil_id", .in, Array(ids.values)).run()
        }
    }

    /// The pupils who have had a reward's certificate for the term or year that starts on `from`.
    public func certified(_ laestab: LAESTAB, reward: RewardKind, span: RewardSpan, from: LocalDate) async throws
        -> Set<UPN>
    {
        let school = try await store.reference.requireSchool(laestab)
        let rows = try await store.reader.raw(
            """
            SELECT p.upn FROM reward_certificates c JOIN pupils p ON p.id = c.pupil_id
            WHERE c.school_id = \(bind: school.id) AND c.reward = \(bind: reward.rawValue)
            AND c.span = \(bind: span.rawValue) AND c.period_from = \(bind: from.iso)
            """
        ).all()
        return Set(try rows.map { try UPN(try $0.decode(column: "upn", as: String.self)) })
    }
}
