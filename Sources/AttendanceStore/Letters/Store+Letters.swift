import AttendanceCore
import Foundation
import SQLKit

/// A letter as it is to be kept: the exact copy produced, and how it goes out.
public struct NewLetter: Sendable {
    public enum Channel: String, Sendable { case post, email }

    public let upn: UPN
    public let kind: LetterKind
    public let recipient: LetterRecipient
    public let channel: Channel
    /// The procedure action this letter completes, if any.
    public let actionID: ActionID?
    public let html: String
    public let pdf: Data?
    /// For an emailed letter: the message's subject and text (the PDF is attached to it).
    public let email: (subject: String, body: String)?

    public init(
        upn: UPN, kind: LetterKind, recipient: LetterRecipient, channel: Channel, actionID: ActionID?, html: String,
        pdf: Data?, email: (subject: String, body: String)? = nil
    ) {
        self.upn = upn
        self.kind = kind
        self.recipient = recipient
        self.channel = channel
        self.actionID = actionID
        self.html = html
        self.pdf = pdf
        self.email = email
    }
}

/// A letter on a pupil's record. The bodies are loaded only when asked for.
public struct StoredLetter: Sendable, Hashable {
    public let id: Int
    public let upn: UPN
    public let school: LAESTAB
    public let kind: LetterKind
    public let languages: [Language]
    public let recipientNames: [String]
    public let recipientAddress: String?
    public let recipientEmail: String?
    public let channel: String
    public let actionID: ActionID?
    public let batch: String?
    public let producedBy: String
    public let producedAt: Date
    public let sha256: String
    public let html: String?
    public let pdf: Data?
}

extension LetterRepository {
    /// Keeps letters, completes the actions they answer and queues the emails, in one transaction: either the
    /// whole batch is on record or none of it is.
    @discardableResult
    public func recordLetters(
        _ letters: [NewLetter], school laestab: LAESTAB, batch: String?,
        completingAlso overtaken: [ActionID: String] = [:],
        by actor: AuditActor, at now: Date = Date()
    ) async throws -> [Int] {
        guard !letters.isEmpty || !overtaken.isEmpty else { return [] }
        let school = try await store.reference.requireSchool(laestab)
        let pupils = try await ReferenceRepository.pupilIDs(for: Set(letters.map(\.upn)), on: store.sql)
        let stamp = Timestamp.text(now)
        return try await store.transaction { db in
            var ids: [Int] = []
            for letter in letters {
                guard let pupilID = pupils[letter.upn] else { throw StoreError.notFound("pupil \(letter.upn)") }
                let id =
                    try await db.insert(into: "letters")
                    .columns(
                        "pupil_id", "school_id", "kind", "languages", "recipient_names", "recipient_address",
                        "recipient_email", "channel", "action_id", "batch", "produced_by", "produced_at", "html",
                        "pdf", "sha256"
                    )
                    .values(
                        SQLBind(pupilID), SQLBind(school.id), SQLBind(letter.kind.rawValue),
                        SQLBind(letter.recipient.languages.map(\.rawValue).joined(separator: ",")),
                        SQLBind(letter.recipient.names.joined(separator: "\n")), SQLBind(letter.recipient.address),
                        SQLBind(letter.recipient.email), SQLBind(letter.channel.rawValue),
                        SQLBind(letter.actionID?.rawValue),
                        SQLBind(batch), SQLBind(actor.name), SQLBind(stamp), SQLBind(letter.html),
                        SQLBind(letter.pdf?.base64EncodedString()),
                        SQLBind(Digest.sha256Hex(letter.pdf ?? Data(letter.html.utf8)))
                    )
                    .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
                ids.append(id)
                if letter.kind == .eswReferral {
                    // The referral form is the school's referral: it arrives in the authority's ESW inbox.
                    _ = try await EswRepository.openEswReferral(
                        pupilID: pupilID, schoolID: school.id, upn: letter.upn, school: laestab,
                        source: letter.actionID == nil ? .school : .procedure, notes: "", concerns: "",
                        on: Timestamp.day(now), by: actor, at: now, on: db)
                }
                if letter.channel == .email, let to = letter.recipient.email, let email = letter.email {
                    _ = try await Self.queueDelivery(
                        NewDelivery(
                            upn: letter.upn, channel: .email, purpose: "letter:\(letter.kind.rawValue)",
                            recipient: to, subject: email.subject, body: email.body, letterID: id),
                        pupilID: pupilID, schoolID: school.id, by: actor, stamp: stamp, on: db)
                }
            }
            // A letter's own action must still be pending: two people producing the same letters at once (two
            // batches, or a warning clicked twice) send them once, and the later is refused with nothing kept. An
            // action overtaken by a later letter is completed only if still pending.
            for actionID in Set(letters.compactMap(\.actionID)).sorted() {
                try await Self.completeAction(
                    actionID, note: ActionNote.letterProduced(batch: batch).stored, by: actor, stamp: stamp, on: db
                )
                .changeStanding()
            }
            for (actionID, note) in overtaken.sorted(by: { $0.key < $1.key }) {
                try await Self.completeAction(actionID, note: note, by: actor, stamp: stamp, on: db).run()
            }
            try await Store.audit(
                zip(letters, ids).map { letter, id in
                    AuditEvent(
                        at: now, actor: actor, action: "letter.produced", school: laestab, upn: letter.upn,
                        subject: "\(letter.kind.rawValue) #\(id)",
                        after:
                            "\(letter.channel.rawValue) \(letter.recipient.languages.map(\.rawValue).joined(separator: "+"))"
                    )
                }, on: db)
            return ids
        }
    }

    /// Keeps a batch's combined PDF (nil when PDFs cannot be made here).
    public func recordBatch(
        _ id: String, school laestab: LAESTAB, pdf: Data?, by actor: AuditActor, at now: Date = Date()
    ) async throws {
        let school = try await store.reference.requireSchool(laestab)
        try await store.sql.insert(into: "letter_batches").columns(
            "id", "school_id", "produced_by", "produced_at", "pdf"
        )
        .values(
            SQLBind(id), SQLBind(school.id), SQLBind(actor.name), SQLBind(Timestamp.text(now)),
            SQLBind(pdf?.base64EncodedString())
        ).run()
    }

    /// A batch's combined PDF, if one was made.
    public func batchPDF(_ id: String, school laestab: LAESTAB) async throws -> Data? {
        let school = try await store.reference.requireSchool(laestab)
        return try await store.sql.select().column("pdf").from("letter_batches").where("id", .equal, id)
            .where("school_id", .equal, school.id).first(decodingColumn: "pdf", as: String?.self)?
            .flatMap { Data(base64Encoded: $0) }
    }

    /// A pupil's letters, newest first, without their bodies.
    public func letters(of upn: UPN) async throws -> [StoredLetter] {
        try await letterRows(
            "WHERE p.upn = \(bind: upn.value) ORDER BY l.produced_at DESC, l.id DESC", bodies: false)
    }

    /// The letters of one batch at a school, in the order produced, with their bodies.
    public func letters(batch: String, school laestab: LAESTAB) async throws -> [StoredLetter] {
        let school = try await store.reference.requireSchool(laestab)
        return try await letterRows(
            "WHERE l.school_id = \(bind: school.id) AND l.batch = \(bind: batch) ORDER BY l.id", bodies: true)
    }

    /// One letter with its kept copy.
    public func letter(id: Int) async throws -> StoredLetter? {
        try await letterRows("WHERE l.id = \(bind: id)", bodies: true).first
    }

    private func letterRows(_ condition: SQLQueryString, bodies: Bool) async throws -> [StoredLetter] {
        let columns =
            "l.id, l.kind, l.languages, l.recipient_names, l.recipient_address, l.recipient_email, l.channel, "
            + "l.action_id, l.batch, l.produced_by, l.produced_at, l.sha256, p.upn, s.la_number, s.estab_number"
            + (bodies ? ", l.html, l.pdf" : "")
        let query: SQLQueryString =
            "SELECT \(unsafeRaw: columns) FROM letters l JOIN pupils p ON p.id = l.pupil_id JOIN schools s ON s.id = l.school_id "
            + condition
        return try await store.sql.raw(query).all().compactMap { row in
            guard let kind = LetterKind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
            return StoredLetter(
                id: try row.decode(column: "id", as: Int.self),
                upn: try UPN(try row.decode(column: "upn", as: String.self)),
                school: LAESTAB(
                    la: try row.decode(column: "la_number", as: Int.self),
                    estab: try row.decode(column: "estab_number", as: Int.self)),
                kind: kind,
                languages: try row.decode(column: "languages", as: String.self).split(separator: ",").compactMap {
                    Language(rawValue: String($0))
                },
                recipientNames: try row.decode(column: "recipient_names", as: String.self).split(separator: "\n")
                    .map(String.init),
                recipientAddress: try row.decode(column: "recipient_address", as: String?.self),
                recipientEmail: try row.decode(column: "recipient_email", as: String?.self),
                channel: try row.decode(column: "channel", as: String.self),
                actionID: try row.decode(column: "action_id", as: Int?.self).map { ActionID($0) },
                batch: try row.decode(column: "batch", as: String?.self),
                producedBy: try row.decode(column: "produced_by", as: String.self),
                producedAt: Store.date(fromTimestamp: try row.decode(column: "produced_at", as: String.self)),
                sha256: try row.decode(column: "sha256", as: String.self),
                html: bodies ? try row.decode(column: "html", as: String.self) : nil,
                pdf: bodies
                    ? try row.decode(column: "pdf", as: String?.self).flatMap { Data(base64Encoded: $0) } : nil)
        }
    }

    /// Template overrides made in the browser, by kind and language.
    public func letterTemplateOverrides() async throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try await store.sql.select().columns("kind", "language", "body").from("letter_templates").all() {
            let key =
                "\(try row.decode(column: "language", as: String.self))/"
                + (try row.decode(column: "kind", as: String.self))
            result[key] = try row.decode(column: "body", as: String.self)
        }
        return result
    }

    /// Keeps (or, with nil, removes) the authority's own wording of a letter; the change is audited.
    public func setLetterTemplate(
        _ kind: LetterKind, _ language: Language, body: String?, by actor: AuditActor, at now: Date = Date()
    ) async throws {
        let before = try await letterTemplateOverrides()["\(language.rawValue)/\(kind.rawValue)"]
        try await store.transaction { db in
            try await db.delete(from: "letter_templates").where("kind", .equal, kind.rawValue)
                .where("language", .equal, language.rawValue).run()
            if let body {
                try await db.insert(into: "letter_templates")
                    .columns("kind", "language", "body", "updated_by", "updated_at")
                    .values(
                        SQLBind(kind.rawValue), SQLBind(language.rawValue), SQLBind(body), SQLBind(actor.name),
                        SQLBind(Timestamp.text(now))
                    ).run()
            }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: body == nil ? "letter_template.reset" : "letter_template.saved",
                        subject: "\(language.rawValue)/\(kind.rawValue)", before: before, after: body)
                ], on: db)
        }
    }
}

extension LetterRepository {
    /// The update that marks a pending action done with its note (the caller runs it, as it needs).
    static func completeAction(
        _ id: ActionID, note: String, by actor: AuditActor, stamp: String, on db: any SQLDatabase
    )
        -> SQLUpdateBuilder
    {
        db.update("procedure_actions").set("status", to: RecordedAction.Status.done.rawValue)
            .set("status_changed_by", to: actor.name).set("status_changed_at", to: stamp).set("status_note", to: note)
            .where("id", .equal, id.rawValue).where("status", .equal, RecordedAction.Status.pending.rawValue)
    }
}
