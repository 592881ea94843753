import AttendanceCore
import Foundation
import SQLKit

/// An email or text message to be sent to a parent.
public struct NewDelivery: Sendable {
    public enum Channel: String, Sendable { case email, sms }

    public let upn: UPN
    public let channel: Channel
    /// Why: `letter:letter_1`, `first_day`, …
    public let purpose: String
    /// An email address or a phone number.
    public let recipient: String
    public let subject: String
    public let body: String
    public let letterID: Int?

    public init(
        upn: UPN, channel: Channel, purpose: String, recipient: String, subject: String, body: String,
        letterID: Int? = nil
    ) {
        self.upn = upn
        self.channel = channel
        self.purpose = purpose
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.letterID = letterID
    }
}

/// A message and where it has got to. Failed messages are retried until they go; none is dropped.
public struct Delivery: Sendable, Hashable {
    public enum Status: String, Sendable { case pending, sent, failed }

    public struct Attempt: Sendable, Hashable {
        public let at: Date
        public let succeeded: Bool
        public let detail: String
    }

    public let id: Int
    public let upn: UPN
    public let school: LAESTAB
    public let letterID: Int?
    public let channel: NewDelivery.Channel
    public let purpose: String
    public let recipient: String
    public let subject: String
    public let body: String
    public let status: Status
    public let attemptCount: Int
    public let lastError: String?
    public let nextAttemptAt: Date?
    public let sentAt: Date?
    public let createdAt: Date
    public var attempts: [Attempt] = []
}

extension LetterRepository {
    /// Queues messages; they go when `sendDue` next runs.
    @discardableResult
    public func queueDeliveries(_ deliveries: [NewDelivery], by actor: AuditActor, at now: Date = Date()) async throws
        -> [Int]
    {
        let pupils = try await ReferenceRepository.pupilIDs(for: Set(deliveries.map(\.upn)), on: store.sql)
        let schools = try await store.contacts.currentSchools(pupils: Array(pupils.values))
        let ids = try await schoolIDs()
        return try await store.transaction { db in
            var result: [Int] = []
            for delivery in deliveries {
                guard let pupilID = pupils[delivery.upn], let laestab = schools[pupilID], let schoolID = ids[laestab]
                else { throw StoreError.notFound("pupil \(delivery.upn)") }
                result.append(
                    try await Self.queueDelivery(
                        delivery, pupilID: pupilID, schoolID: schoolID, by: actor, stamp: Timestamp.text(now), on: db))
            }
            return result
        }
    }

    static func queueDelivery(
        _ delivery: NewDelivery, pupilID: Int, schoolID: Int, by actor: AuditActor, stamp: String,
        on db: any SQLDatabase
    ) async throws -> Int {
        try await db.insert(into: "deliveries")
            .columns(
                "pupil_id", "school_id", "letter_id", "channel", "purpose", "recipient", "subject", "body", "status",
                "attempts", "next_attempt_at", "created_by", "created_at"
            )
            .values(
                SQLBind(pupilID), SQLBind(schoolID), SQLBind(delivery.letterID), SQLBind(delivery.channel.rawValue),
                SQLBind(delivery.purpose), SQLBind(delivery.recipient), SQLBind(delivery.subject),
                SQLBind(delivery.body), SQLBind(Delivery.Status.pending.rawValue), SQLBind(0), SQLBind(stamp),
                SQLBind(actor.name), SQLBind(stamp)
            )
            .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
    }

    /// Messages waiting to be sent or retried whose time has come, oldest first.
    public func dueDeliveries(at now: Date = Date()) async throws -> [Delivery] {
        try await deliveryRows(
            """
            WHERE d.status <> \(bind: Delivery.Status.sent.rawValue) AND d.next_attempt_at <= \(bind: Timestamp.text(now))
            ORDER BY d.id
            """)
    }

    /// A pupil's messages with every attempt, newest first.
    public func deliveries(of upn: UPN) async throws -> [Delivery] {
        var result = try await deliveryRows("WHERE p.upn = \(bind: upn.value) ORDER BY d.id DESC")
        guard !result.isEmpty else { return [] }
        var attempts: [Int: [Delivery.Attempt]] = [:]
        for row in try await store.sql.select().columns("delivery_id", "at", "succeeded", "detail")
            .from("delivery_attempts").where("delivery_id", .in, result.map(\.id)).orderBy("id").all()
        {
            attempts[try row.decode(column: "delivery_id", as: Int.self), default: []].append(
                Delivery.Attempt(
                    at: Store.date(fromTimestamp: try row.decode(column: "at", as: String.self)),
                    succeeded: try row.decode(column: "succeeded", as: Bool.self),
                    detail: try row.decode(column: "detail", as: String.self)))
        }
        for index in result.indices { result[index].attempts = attempts[result[index].id] ?? [] }
        return result
    }

    /// Records one try. A failure stays failed and is tried again later (1, 2, 4 … minutes, at most hourly).
    public func recordAttempt(
        delivery id: Int, succeeded: Bool, detail: String, providerReference: String? = nil, at now: Date = Date()
    ) async throws {
        guard
            let row = try await store.sql.select().columns("attempts").from("deliveries").where("id", .equal, id)
                .first()
        else { throw StoreError.notFound("message \(id)") }
        let attempts = try row.decode(column: "attempts", as: Int.self) + 1
        let wait = Double(min(60, 1 << min(attempts - 1, 6))) * 60
        try await store.transaction { db in
            try await db.insert(into: "delivery_attempts").columns("delivery_id", "at", "succeeded", "detail")
                .values(SQLBind(id), SQLBind(Timestamp.text(now)), SQLBind(succeeded), SQLBind(detail)).run()
            var update = db.update("deliveries").set("attempts", to: attempts)
            if succeeded {
                update = update.set("status", to: Delivery.Status.sent.rawValue)
                    .set("sent_at", to: Timestamp.text(now)).set("next_attempt_at", to: SQLLiteral.null)
                    .set("provider_reference", to: providerReference)
            } else {
                update = update.set("status", to: Delivery.Status.failed.rawValue).set("last_error", to: detail)
                    .set("next_attempt_at", to: Timestamp.text(now.addingTimeInterval(wait)))
            }
            try await update.where("id", .equal, id).run()
        }
    }

    /// Claims a due message for one sender, so that the server's schedule, a page and the command never send it twice:
    /// its next attempt moves ten minutes on, and only the sender whose update found it due goes ahead.
    public func claimDelivery(_ id: Int, at now: Date = Date()) async throws -> Bool {
        try await !store.sql.raw(
            """
            UPDATE deliveries SET next_attempt_at = \(bind: Timestamp.text(now.addingTimeInterval(600)))
            WHERE id = \(bind: id) AND status <> \(bind: Delivery.Status.sent.rawValue)
            AND next_attempt_at <= \(bind: Timestamp.text(now)) RETURNING id
            """
        ).all().isEmpty
    }

    /// Makes failed messages due now (a person asked to retry, or the test run).
    public func retryFailedDeliveriesNow(at now: Date = Date()) async throws {
        try await store.sql.update("deliveries").set("next_attempt_at", to: Timestamp.text(now))
            .where("status", .equal, Delivery.Status.failed.rawValue).run()
    }

    private func schoolIDs() async throws -> [LAESTAB: Int] {
        Dictionary(uniqueKeysWithValues: try await store.reference.schools().map { ($0.school.laestab, $0.id) })
    }

    private func deliveryRows(_ condition: SQLQueryString) async throws -> [Delivery] {
        let query: SQLQueryString =
            """
            SELECT d.*, p.upn, s.la_number, s.estab_number FROM deliveries d JOIN pupils p ON p.id = d.pupil_id
            JOIN schools s ON s.id = d.school_id
            """ + " " + condition
        return try await store.sql.raw(query).all().compactMap { row in
            guard let channel = NewDelivery.Channel(rawValue: try row.decode(column: "channel", as: String.self)),
                let status = Delivery.Status(rawValue: try row.decode(column: "status", as: String.self))
            else { return nil }
            return Delivery(
                id: try row.decode(column: "id", as: Int.self),
                upn: try UPN(try row.decode(column: "upn", as: String.self)),
                school: LAESTAB(
                    la: try row.decode(column: "la_number", as: Int.self),
                    estab: try row.decode(column: "estab_number", as: Int.self)),
                letterID: try row.decode(column: "letter_id", as: Int?.self), channel: channel,
                purpose: try row.decode(column: "purpose", as: String.self),
                recipient: try row.decode(column: "recipient", as: String.self),
                subject: try row.decode(column: "subject", as: String.self),
                body: try row.decode(column: "body", as: String.self), status: status,
                attemptCount: try row.decode(column: "attempts", as: Int.self),
                lastError: try row.decode(column: "last_error", as: String?.self),
                nextAttemptAt: try row.decode(column: "next_attempt_at", as: String?.self).map(
                    Store.date(fromTimestamp:)),
                sentAt: try row.decode(column: "sent_at", as: String?.self).map(Store.date(fromTimestamp:)),
                createdAt: Store.date(fromTimestamp: try row.decode(column: "created_at", as: String.self)))
        }
    }
}
