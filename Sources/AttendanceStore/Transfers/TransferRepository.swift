import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit

/// Common Transfer Files brought in (tables `ctf_imports`, `ctf_admissions`, `other_school_years`): a file's pupils
/// matched by UPN or former UPN and updated, new pupils recorded with their contacts, an admission prepared for each
/// pupil not on the school's roll (the office confirms it with a first day and form group), and the years at other
/// schools kept beside the pupil. All or nothing, and audited.
public struct TransferRepository: Sendable {
    let store: Store
}

extension Store {
    public var transfers: TransferRepository { TransferRepository(store: self) }
}

/// What an import did, for the office and the command line.
public struct CTFImportResult: Sendable, Hashable {
    /// A year whose marks and totals disagree: both are kept.
    public struct Disagreement: Sendable, Hashable {
        public let upn: UPN
        public let school: OtherSchoolYear.School
        public let year: Int
        public let marks: OtherSchoolYear.Totals
        public let file: OtherSchoolYear.Totals
    }

    public let importID: Int
    public let pupils: Int
    /// Pupils this record did not hold before.
    public let added: [UPN]
    /// Pupils it held (by UPN or former UPN), updated from the file.
    public let updated: [UPN]
    /// Admissions waiting for the office: pupils not on the school's roll today.
    public let prepared: Int
    /// Years at other schools kept.
    public let years: Int
    /// Years at schools whose registers this database holds itself (its own record is the one kept).
    public let alreadyHeld: Int
    public let disagreements: [Disagreement]
    /// Elements of the file this program does not read.
    public let unread: [String]
}

/// An admission a file prepared, waiting for the office.
public struct PreparedAdmission: Sendable, Hashable {
    public let id: Int
    public let pupil: Pupil
    /// The school the file came from.
    public let from: OtherSchoolYear.School
    public let fileName: String
    public let importedAt: Date
}

/// A file imported, for the school's list.
public struct CTFImportRecord: Sendable, Hashable {
    public let id: Int
    public let fileName: String
    public let source: OtherSchoolYear.School
    public let pupils: Int
    public let importedBy: String
    public let importedAt: Date
    /// Elements of the file this program does not read.
    public let unread: [String]
}

extension TransferRepository {
    /// Imports a file read by `CTFReader` for a school. Refused whole (`CTFReader.Problem`, naming the element) for
    /// a file addressed to another school or a mark in neither code set; otherwise written in one transaction.
    public func importCTF(
        _ read: CTFReader.Result, fileName: String, school laestab: LAESTAB, today: LocalDate, by actor: AuditActor,
        at now: Date = Date()
    ) async throws -> CTFImportResult {
        let file = read.file
        let school = try await store.reference.requireSchool(laestab)
        if let destination = file.header.destination, destination.laestab != laestab {
            throw CTFReader.Problem(place: "Header/DestSchool", why: .otherSchool(destination.laestab))
        }
        let history = try file.history(welsh: store.codes)
        let held = Set(try await store.reference.schools().map(\.school.laestab))
        let kept = history.filter { !held.contains($0.school.laestab) }
        let source = OtherSchoolYear.School(
            la: file.header.source.la, estab: file.header.source.estab, name: file.header.source.name)
        let disagreements = kept.compactMap { year -> CTFImportResult.Disagreement? in
            guard let found = year.disagreement(welsh: store.codes, rules: store.rules) else { return nil }
            return CTFImportResult.Disagreement(
                upn: year.upn, school: year.school, year: year.year, marks: found.marks, file: found.file)
        }
        let result = try await store.transaction { db -> CTFImportResult in
            let importID = try await Self.recordImport(
                read, fileName: fileName, schoolID: school.id, by: actor, at: now, on: db)
            var added: [UPN] = []
            var updated: [UPN] = []
            var prepared = 0
            for pupil in file.pupils {
                let match = try await Self.match(pupil, on: db)
                let written = try await Self.write(
                    pupil, over: match, school: laestab, today: today, by: actor, subject: fileName, on: db)
                if match == nil { added.append(pupil.upn) } else { updated.append(pupil.upn) }
                if try await !Self.isOnRoll(pupilID: written, schoolID: school.id, from: today, on: db) {
                    let row = try await db.raw(
                        """
                        INSERT INTO ctf_admissions (import_id, school_id, pupil_id, status)
                        VALUES (\(bind: importID), \(bind: school.id), \(bind: written), 'prepared')
                        ON CONFLICT (school_id, pupil_id) WHERE status = 'prepared' DO NOTHING RETURNING id
                        """
                    ).first()
                    if row != nil { prepared += 1 }
                }
            }
            try await Self.keep(kept, importID: importID, on: db)
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "ctf.imported", school: laestab, subject: "ctf/\(importID)",
                        after: auditJSON([
                            "file": fileName, "from": source.laestab.description, "pupils": String(file.pupils.count),
                            "added": String(added.count), "updated": String(updated.count),
                            "prepared": String(prepared), "years": String(kept.count),
                            "disagreements": String(disagreements.count),
                        ]))
                ], on: db)
            try await Store.referenceChanged(on: db)
            return CTFImportResult(
                importID: importID, pupils: file.pupils.count, added: added, updated: updated, prepared: prepared,
                years: kept.count, alreadyHeld: history.count - kept.count, disagreements: disagreements,
                unread: read.unread)
        }
        store.referenceCache.clear()
        return result
    }

    private static func recordImport(
        _ read: CTFReader.Result, fileName: String, schoolID: Int, by actor: AuditActor, at now: Date,
        on db: any SQLDatabase
    ) async throws -> Int {
        let header = read.file.header
        let row = try await db.insert(into: "ctf_imports")
            .columns(
                "school_id", "file_name", "source_laestab", "source_name", "made_at", "pupils", "unread",
                "imported_by", "imported_at"
            )
            .values(
                SQLBind(schoolID), SQLBind(String(fileName.prefix(200))), SQLBind(header.source.laestab.description),
                SQLBind(String(header.source.name.prefix(200))), SQLBind(String(header.dateTime.prefix(40))),
                SQLBind(read.file.pupils.count), SQLBind(read.unread.joined(separator: "\n")), SQLBind(actor.name),
                SQLBind(Timestamp.text(now))
            )
            .returning("id").first()
        guard let id = try row?.decode(column: "id", as: Int.self) else {
            throw StoreError.corrupt("a CTF import with no id")
        }
        return id
    }

    /// The pupil this record holds for a file's pupil: by UPN, or by the former UPN the file gives.
    private static func match(
        _ pupil: CommonTransferFile.Pupil, on db: any SQLDatabase
    ) async throws -> (id: Int, pupil: Pupil)? {
        for upn in [pupil.upn] + [pupil.formerUPN].compactMap({ $0 }) {
            if let row = try await db.select().column("*").from("pupils").where("upn", .equal, upn.value).first() {
                return (try row.decode(column: "id", as: Int.self), try ReferenceRepository.pupil(from: row))
            }
        }
        return nil
    }

    /// Writes the file's pupil over what the record holds (names, birth, sex, free school meals, looked after,
    /// additional learning needs; the year and form group stay the school's own), audited; a pupil new to the
    /// record is added with the file's contacts. Returns the pupil's row id.
    private static func write(
        _ pupil: CommonTransferFile.Pupil, over match: (id: Int, pupil: Pupil)?, school: LAESTAB, today: LocalDate,
        by actor: AuditActor, subject: String, on db: any SQLDatabase
    ) async throws -> Int {
        let open = { (spells: [CommonTransferFile.Spell]) in
            spells.contains { $0.start <= today && ($0.end ?? today) >= today }
        }
        var new = Pupil(
            upn: pupil.upn, legalSurname: pupil.surname, legalForename: pupil.forename,
            preferredSurname: pupil.preferredSurname, preferredForename: pupil.preferredForename,
            dateOfBirth: pupil.dateOfBirth, sex: pupil.sex,
            yearGroup: pupil.yearGroup ?? Admission.yearGroup(bornOn: pupil.dateOfBirth, in: today.academicYear),
            registrationGroup: "", freeSchoolMeals: open(pupil.freeSchoolMeals), lookedAfter: open(pupil.lookedAfter),
            additionalLearningNeeds: pupil.additionalLearningNeeds)
        guard let match else {
            let row = try await db.insert(into: "pupils")
                .columns(
                    "upn", "legal_surname", "legal_forename", "preferred_surname", "preferred_forename",
                    "date_of_birth", "sex", "year_group", "registration_group", "free_school_meals", "looked_after",
                    "additional_learning_needs"
                )
                .values(
                    SQLBind(new.upn.value), SQLBind(new.legalSurname), SQLBind(new.legalForename),
                    SQLBind(new.preferredSurname), SQLBind(new.preferredForename), SQLBind(new.dateOfBirth.iso),
                    SQLBind(new.sex.rawValue), SQLBind(new.yearGroup), SQLBind(new.registrationGroup),
                    SQLBind(new.freeSchoolMeals), SQLBind(new.lookedAfter), SQLBind(new.additionalLearningNeeds)
                )
                .returning("id").first()
            guard let id = try row?.decode(column: "id", as: Int.self) else {
                throw StoreError.corrupt("a pupil with no id")
            }
            try await addContacts(pupil, pupilID: id, by: actor, school: school, subject: subject, on: db)
            if let event = AuditEvent.change(
                "pupil", old: nil, new: ReferenceRepository.fields(new), actor: actor, school: school, upn: new.upn,
                subject: subject)
            {
                try await Store.audit([event], on: db)
            }
            return id
        }
        new.yearGroup = match.pupil.yearGroup
        new.registrationGroup = match.pupil.registrationGroup
        var old = ReferenceRepository.fields(match.pupil)
        var changed = ReferenceRepository.fields(new)
        if match.pupil.upn != new.upn {
            // Known by a former UPN: the record takes the new one, and so does the history kept under the old.
            (old["upn"], changed["upn"]) = (match.pupil.upn.value, new.upn.value)
            try await db.update("other_school_years").set("upn", to: new.upn.value)
                .where("upn", .equal, match.pupil.upn.value).run()
        }
        try await db.update("pupils")
            .set("upn", to: new.upn.value).set("legal_surname", to: new.legalSurname)
            .set("legal_forename", to: new.legalForename).set("preferred_surname", to: new.preferredSurname)
            .set("preferred_forename", to: new.preferredForename).set("date_of_birth", to: new.dateOfBirth.iso)
            .set("sex", to: new.sex.rawValue).set("free_school_meals", to: new.freeSchoolMeals)
            .set("looked_after", to: new.lookedAfter).set("additional_learning_needs", to: new.additionalLearningNeeds)
            .where("id", .equal, match.id).run()
        if let event = AuditEvent.change(
            "pupil", old: old, new: changed, actor: actor, school: school, upn: new.upn, subject: subject)
        {
            try await Store.audit([event], on: db)
        }
        // The school's own contacts are kept: the file's are added only for a pupil who has none.
        let contacts = try await db.select().column("pupil_id").from("contacts").where("pupil_id", .equal, match.id)
            .first()
        if contacts == nil {
            try await addContacts(pupil, pupilID: match.id, by: actor, school: school, subject: subject, on: db)
        }
        return match.id
    }

    private static func addContacts(
        _ pupil: CommonTransferFile.Pupil, pupilID: Int, by actor: AuditActor, school: LAESTAB, subject: String,
        on db: any SQLDatabase
    ) async throws {
        var used = Set<Int>()
        var rows: [[SQLValue]] = []
        var events: [AuditEvent] = []
        for contact in pupil.contacts.sorted(by: { $0.order < $1.order }) {
            // Two contacts the file gives the same order keep their file order.
            var priority = max(1, min(contact.order, 99))
            while used.contains(priority) { priority += 1 }
            used.insert(priority)
            let kept = CommonTransferFile.contact(contact, priority: priority, address: pupil.address)
            rows.append([
                pupilID, kept.priority, kept.name, kept.relationship, kept.parentalResponsibility, kept.phone,
                kept.mobile, kept.email, kept.address, kept.language.rawValue, kept.livesWithPupil,
            ])
            if let event = AuditEvent.change(
                "contact", old: nil, new: ContactRepository.fields(kept), actor: actor, school: school,
                upn: pupil.upn, subject: subject)
            {
                events.append(event)
            }
        }
        try await db.insertRows(
            into: "contacts",
            columns: [
                "pupil_id", "priority", "name", "relationship", "parental_responsibility", "phone", "mobile", "email",
                "address", "language", "lives_with_pupil",
            ], rows: rows)
        try await Store.audit(events, on: db)
    }

    /// On the school's roll that day or from a later one (an admission confirmed to start tomorrow): nothing to
    /// prepare.
    static func isOnRoll(pupilID: Int, schoolID: Int, from day: LocalDate, on db: any SQLDatabase) async throws -> Bool
    {
        try await db.raw(
            """
            SELECT pupil_id FROM enrolments WHERE pupil_id = \(bind: pupilID) AND school_id = \(bind: schoolID)
            AND (on_roll_to IS NULL OR on_roll_to >= \(bind: day.iso))
            """
        ).first() != nil
    }

    /// Keeps each year at another school, replacing what an earlier file gave for the same pupil, school and year.
    private static func keep(_ years: [OtherSchoolYear], importID: Int, on db: any SQLDatabase) async throws {
        try await db.insertRows(
            into: "other_school_years",
            columns: [
                "upn", "la", "estab", "school_name", "year", "possible", "attended", "authorised", "unauthorised",
                "marks_from", "marks", "import_id",
            ],
            rows: years.map { year in
                [
                    year.upn.value, year.school.la, year.school.estab, year.school.name, year.year,
                    year.totals.possible, year.totals.attended, year.totals.authorised, year.totals.unauthorised,
                    year.marksFrom?.iso, year.marks, importID,
                ]
            }
        ) { builder in
            builder.onConflict(with: ["upn", "la", "estab", "year"]) {
                $0.set(excludedValueOf: "school_name").set(excludedValueOf: "possible")
                    .set(excludedValueOf: "attended").set(excludedValueOf: "authorised")
                    .set(excludedValueOf: "unauthorised").set(excludedValueOf: "marks_from")
                    .set(excludedValueOf: "marks").set(excludedValueOf: "import_id")
            }
        }
    }
}
