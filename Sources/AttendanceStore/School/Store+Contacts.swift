import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit

extension ContactRepository {
    /// Imports contacts, all or nothing; a pupil's contact at the same priority is replaced by the new line.
    @discardableResult
    public func importContacts(
        _ rows: [Numbered<ImportParser.ContactRow>], by actor: AuditActor = AuditActor("import"), source: String? = nil
    ) async throws -> Int {
        let ids = try await ReferenceRepository.pupilIDs(for: Set(rows.map(\.value.upn)), on: store.sql)
        var problems: [ImportProblem] = []
        var seen: [String: Int] = [:]
        for row in rows {
            if ids[row.value.upn] == nil {
                problems.append(ImportProblem(line: row.line, "upn: no pupil has the UPN \(row.value.upn)"))
            }
            let key = "\(row.value.upn) \(row.value.contact.priority)"
            if let first = seen[key] {
                problems.append(
                    ImportProblem(
                        line: row.line,
                        "priority: \(row.value.upn) already has priority \(row.value.contact.priority) on line \(first)"
                    ))
            }
            seen[key] = row.line
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        let schools = try await currentSchools(pupils: Array(Set(ids.values)))
        return try await store.transaction { db in
            let before = try await Self.existingContacts(pupils: Array(Set(ids.values)), on: db)
            let events = rows.compactMap { row -> AuditEvent? in
                guard let pupilID = ids[row.value.upn] else { return nil }  // checked above: every UPN has an id
                return AuditEvent.change(
                    "contact", old: before[pupilID]?[row.value.contact.priority].map(Self.fields),
                    new: Self.fields(row.value.contact), actor: actor, school: schools[pupilID], upn: row.value.upn,
                    subject: source)
            }
            try await Store.audit(events, on: db)
            try await db.insertRows(
                into: "contacts",
                columns: [
                    "pupil_id", "priority", "name", "relationship", "parental_responsibility", "phone", "mobile",
                    "email",
                    "address", "language", "lives_with_pupil",
                ],
                rows: rows.compactMap { row in
                    guard let pupilID = ids[row.value.upn] else { return nil }
                    let c = row.value.contact
                    return [
                        pupilID, c.priority, c.name, c.relationship, c.parentalResponsibility, c.phone,
                        c.mobile,
                        c.email, c.address, c.language.rawValue, c.livesWithPupil,
                    ]
                }
            ) { builder in
                builder.onConflict(with: ["pupil_id", "priority"]) {
                    $0.set(excludedValueOf: "name").set(excludedValueOf: "relationship")
                        .set(excludedValueOf: "parental_responsibility").set(excludedValueOf: "phone")
                        .set(excludedValueOf: "mobile").set(excludedValueOf: "email").set(excludedValueOf: "address")
                        .set(excludedValueOf: "language").set(excludedValueOf: "lives_with_pupil")
                }
            }
            return rows.count
        }
    }

    static func fields(_ c: Contact) -> [String: String?] {
        [
            "name": c.name, "relationship": c.relationship, "parental_responsibility": String(c.parentalResponsibility),
            "priority": String(c.priority), "phone": c.phone, "mobile": c.mobile, "email": c.email,
            "address": c.address,
            "language": c.language.rawValue, "lives_with_pupil": c.livesWithPupil.map { String($0) },
        ]
    }

    private static func existingContacts(pupils: [Int], on db: any SQLDatabase) async throws -> [Int: [Int: Contact]] {
        var result: [Int: [Int: Contact]] = [:]
        for chunk in pupils.chunked(5000) {
            for row in try await db.select().column("*").from("contacts").where("pupil_id", .in, Array(chunk)).all() {
                let contact = try contact(from: row)
                result[try row.decode(column: "pupil_id", as: Int.self), default: [:]][contact.priority] = contact
            }
        }
        return result
    }

    /// The school each pupil is (or was last) on the roll of, for the audit trail's school column.
    func currentSchools(pupils: [Int]) async throws -> [Int: LAESTAB] {
        var result: [Int: LAESTAB] = [:]
        for chunk in pupils.chunked(5000) {
            let rows = try await store.sql.raw(
                """
                SELECT e.pupil_id, s.laestab FROM enrolments e JOIN schools s ON s.id = e.school_id
                WHERE e.pupil_id IN (\(binds: Array(chunk))) ORDER BY e.on_roll_from
                """
            ).all()
            for row in rows {
                result[try row.decode(column: "pupil_id", as: Int.self)] = LAESTAB(
                    text: try row.decode(column: "laestab", as: String.self))
            }
        }
        return result
    }

    /// A pupil's contacts in the order to call them.
    public func contacts(of upn: UPN) async throws -> [Contact] {
        let rows = try await store.sql.raw(
            """
            SELECT c.* FROM contacts c JOIN pupils p ON p.id = c.pupil_id
            WHERE p.upn = \(bind: upn.value) ORDER BY c.priority
            """
        ).all()
        return try rows.map(Self.contact(from:))
    }

    static func contact(from row: any SQLRow) throws -> Contact {
        Contact(
            name: try row.decode(column: "name", as: String.self),
            relationship: try row.decode(column: "relationship", as: String.self),
            parentalResponsibility: try row.decode(column: "parental_responsibility", as: Bool.self),
            priority: try row.decode(column: "priority", as: Int.self),
            phone: try row.decode(column: "phone", as: String?.self),
            mobile: try row.decode(column: "mobile", as: String?.self),
            email: try row.decode(column: "email", as: String?.self),
            address: try row.decode(column: "address", as: String?.self),
            language: LanguagePreference(rawValue: try row.decode(column: "language", as: String.self)) ?? .both,
            livesWithPupil: try row.decode(column: "lives_with_pupil", as: Bool?.self))
    }
}

/// What a parent may change of their own contact record: how to reach them and the language they read.
public struct ContactDetails: Sendable, Hashable {
    public var phone: String?
    public var mobile: String?
    public var email: String?
    public var address: String?
    public var language: LanguagePreference

    public init(phone: String?, mobile: String?, email: String?, address: String?, language: LanguagePreference) {
        self.phone = phone
        self.mobile = mobile
        self.email = email
        self.address = address
        self.language = language
    }

    /// The first field that cannot be kept, by name; nil when all can. A parent must leave the school at least
    /// one way to reach them.
    public var problem: String? {
        if [phone, mobile, email].allSatisfy({ ($0 ?? "").isEmpty }) { return "mobile" }
        let phoneCharacters = CharacterSet(charactersIn: "0123456789 +()-")
        for (name, value) in [("phone", phone), ("mobile", mobile)] {
            if let value, value.count > 20 || !CharacterSet(charactersIn: value).isSubset(of: phoneCharacters) {
                return name
            }
        }
        if let email, email.count > 200 || email.contains(" ") || email.split(separator: "@").count != 2 {
            return "email"
        }
        if let address, address.count > 300 || address.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" })
        {
            return "address"
        }
        return nil
    }
}

extension ContactRepository {
    /// A parent's change to their own contact record for a pupil (found by its priority), audited field by field
    /// so that the office sees what changed; nothing else of the record changes.
    public func updateContactDetails(
        _ details: ContactDetails, of upn: UPN, priority: Int, by actor: AuditActor, at now: Date = Date()
    ) async throws {
        if let field = details.problem { throw StoreError.badReport(field: field) }
        let pupil = try await store.reference.requirePupil(upn)
        guard var contact = try await contacts(of: upn).first(where: { $0.priority == priority }) else {
            throw StoreError.notFound("contact \(priority) of \(upn)")
        }
        let before = Self.fields(contact)
        contact.phone = details.phone
        contact.mobile = details.mobile
        contact.email = details.email
        contact.address = details.address
        contact.language = details.language
        let school = try await currentSchools(pupils: [pupil.id])[pupil.id]
        guard
            let event = AuditEvent.change(
                "contact", old: before, new: Self.fields(contact), actor: actor, school: school, upn: upn,
                subject: "contact/\(priority)")
        else { return }  // nothing changed
        let changed = contact
        try await store.transaction { db in
            try await db.update("contacts").set("phone", to: changed.phone).set("mobile", to: changed.mobile)
                .set("email", to: changed.email).set("address", to: changed.address)
                .set("language", to: changed.language.rawValue)
                .where("pupil_id", .equal, pupil.id).where("priority", .equal, priority).run()
            try await Store.audit([event], on: db)
        }
    }
}
