import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

/// Common Transfer Files brought in (issue 36, point 1): pupils matched or added, admissions prepared for the
/// office, other schools' years kept beside the pupil and never in the school's figures; a bad file writes nothing.
@Suite struct CTFImportStoreTests {
    static let today = day("2026-11-25")
    static let school = LAESTAB(la: 665, estab: 4001)
    static let office = AuditActor("office@example.org")
    static let elin = try! UPN("B801200005001")
    static let tomos = try! UPN("H665400125007")

    /// A fixture file shared with the interop and command-line tests.
    static func fixture(_ name: String) -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/ctf/\(name)")
        return (try? Data(contentsOf: url)) ?? Data()
    }

    static func text(_ name: String) -> String { String(decoding: fixture(name), as: UTF8.self) }

    static func importing(_ xml: String, into store: Store) async throws -> CTFImportResult {
        try await store.transfers.importCTF(
            try CTFReader.read(Data(xml.utf8)), fileName: "x.xml", school: school, today: today, by: office)
    }

    /// Whether work finished without an error.
    static func outcome(_ work: @Sendable () async throws -> Void) async -> Bool {
        do {
            try await work()
            return true
        } catch { return false }
    }

    /// Rows in every table an import writes.
    static func counts(_ store: Store) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for table in [
            "pupils", "contacts", "enrolments", "ctf_imports", "ctf_admissions", "other_school_years", "audit_events",
        ] {
            result[table] = try await store.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?
                .decode(column: "n", as: Int.self)
        }
        return result
    }

    @Test(arguments: TestDatabase.available)
    func aHandWrittenFilePreparesAdmissionsAndKeepsItsSchoolsYearsOutOfTheFigures(_ database: TestDatabase)
        async throws
    {
        try await database.withStore { store in
            try await loadFixture(store)
            let term = DateRange(start: day("2025-09-01"), notBefore: day("2026-11-30"))
            let before = try await store.registers.schoolReport(Self.school, in: term).map(\.summary)
            let result = try await Self.importing(Self.text("hand-written.xml"), into: store)
            #expect(result.added == [Self.elin, Self.tomos] && result.updated.isEmpty)
            #expect(result.prepared == 2 && result.years == 2 && result.disagreements.isEmpty)
            #expect(result.unread == ["Pupil/StagedData"])
            // Other schools' years are the pupil's history, never this school's figures.
            #expect(try await store.registers.schoolReport(Self.school, in: term).map(\.summary) == before)
            let history = try await store.transfers.history(of: Self.elin)
            let autumn = DateRange(start: day("2026-09-01"), notBefore: day("2026-11-30"))
            let figures = try #require(history.first?.figures(in: autumn, welsh: store.codes, rules: store.rules))
            #expect(figures.fromMarks)
            #expect(
                figures.totals
                    == OtherSchoolYear.Totals(possible: 14, attended: 11, authorised: 2, unauthorised: 1))
            // The half term in the window alone: the Monday to Thursday after it.
            let after = DateRange(start: day("2026-11-02"), notBefore: day("2026-11-03"))
            #expect(
                history.first?.figures(in: after, welsh: store.codes, rules: store.rules)?.totals
                    == OtherSchoolYear.Totals(possible: 4, attended: 1, authorised: 2, unauthorised: 1))
            let tomosYears = try await store.transfers.history(of: Self.tomos)
            #expect(tomosYears.first?.figures(in: term, welsh: store.codes, rules: store.rules)?.fromMarks == false)
            // The pupil and contact are in the record; the admission waits for the office.
            let stored = try await store.reference.requirePupil(Self.elin)
            #expect(stored.pupil.yearGroup == "8" && stored.pupil.freeSchoolMeals && stored.enrolments.isEmpty)
            let contact = try #require(try await store.contacts.contacts(of: Self.elin).first)
            #expect(contact.name == "Mrs Siân Owen" && contact.relationship == "mother")
            #expect(contact.parentalResponsibility && contact.language == .cy && contact.mobile == "07700 900123")
            #expect(contact.address == "12, Stryt Fawr, Wrecsam")
            let waiting = try await store.transfers.admissions(school: Self.school)
            #expect(waiting.map(\.pupil.upn) == [Self.elin, Self.tomos])
            #expect(waiting.first?.from.laestab == LAESTAB(la: 665, estab: 4002))
            // The office confirms with the first day and form group; a second click admits nothing more.
            let id = try #require(waiting.first?.id)
            try await store.transfers.confirmAdmission(
                id, school: Self.school, firstDay: day("2026-11-26"), group: " 8C ", today: Self.today, by: Self.office)
            await #expect(throws: StoreError.admission(.notPrepared)) {
                try await store.transfers.confirmAdmission(
                    id, school: Self.school, firstDay: day("2026-11-26"), group: "8C", today: Self.today,
                    by: Self.office)
            }
            let admitted = try await store.reference.requirePupil(Self.elin)
            #expect(admitted.pupil.registrationGroup == "8C")
            #expect(admitted.enrolments == [Enrolment(school: Self.school, onRollFrom: day("2026-11-26"))])
            // Importing the same file again prepares nothing twice and keeps one history row a year.
            let again = try await Self.importing(Self.text("hand-written.xml"), into: store)
            #expect(again.updated == [Self.elin, Self.tomos] && again.prepared == 0)
            #expect(try await Self.counts(store)["other_school_years"] == 2)
            #expect(try await store.transfers.admissions(school: Self.school).map(\.pupil.upn) == [Self.tomos])
            let audit = try await store.auditTrail.search(AuditQuery(schools: [Self.school]))
            #expect(audit.filter { $0.action == "ctf.imported" }.count == 2)
            #expect(audit.contains { $0.action == "ctf.admitted" && $0.upn == Self.elin })
        }
    }

    @Test(arguments: TestDatabase.available)
    func aConfirmationTheRulesRefuseChangesNothingAndTwoAtOnceAdmitOnce(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            _ = try await Self.importing(Self.text("hand-written.xml"), into: store)
            let id = try #require(try await store.transfers.admissions(school: Self.school).first?.id)
            for (firstDay, group, problem) in [
                (day("2026-11-26"), "  ", Admission.Problem.noGroup),
                (day("2028-01-05"), "8C", .outOfRange),
            ] {
                await #expect(throws: StoreError.admission(problem)) {
                    try await store.transfers.confirmAdmission(
                        id, school: Self.school, firstDay: firstDay, group: group, today: Self.today, by: Self.office)
                }
            }
            // Another school cannot confirm this school's admission.
            await #expect(throws: StoreError.notFound("admission \(id)")) {
                try await store.transfers.confirmAdmission(
                    id, school: LAESTAB(la: 665, estab: 2001), firstDay: Self.today, group: "8C", today: Self.today,
                    by: Self.office)
            }
            let admitted = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        await Self.outcome {
                            try await store.transfers.confirmAdmission(
                                id, school: Self.school, firstDay: Self.today, group: "8C", today: Self.today,
                                by: Self.office)
                        }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(admitted == 1)
            #expect(try await store.reference.requirePupil(Self.elin).enrolments.count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPupilKnownByAFormerUPNTakesTheNewOneAndTheChangeIsAudited(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let renumbered = UPN.make(la: 665, estab: 4001, year: 26, serial: 9)
            let xml = Self.text("hand-written.xml")
                .replacingOccurrences(
                    of: "<UPN>B801200005001</UPN>",
                    with: "<UPN>\(renumbered.value)</UPN><FormerUPN>\(alys.value)</FormerUPN>")
            let result = try await Self.importing(xml, into: store)
            #expect(result.updated == [renumbered] && result.added == [Self.tomos])
            // Alys is on the school's roll: updated, not admitted again; her own contacts and year group kept.
            #expect(try await store.reference.pupil(alys) == nil)
            let stored = try await store.reference.requirePupil(renumbered)
            #expect(stored.pupil.legalForename == "Elin" && stored.pupil.registrationGroup == "7A")
            #expect(stored.enrolments.count == 1 && result.prepared == 1)
            let audit = try await store.auditTrail.search(AuditQuery(schools: [Self.school]))
            let change = try #require(audit.first { $0.action == "pupil.updated" && $0.upn == renumbered })
            #expect(change.before?.contains(alys.value) == true && change.after?.contains(renumbered.value) == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func marksFromEnglandKeepTheirCodesAndDisagreeingTotalsAreReported(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            // A school in England (LA 340): K is education the authority arranged (attended), Q is not possible.
            let english = Self.text("hand-written.xml")
                .replacingOccurrences(
                    of: "<Year>2026</Year><LEA>665</LEA><Estab>4002</Estab><SchoolName>Ysgol y Grango</SchoolName>",
                    with: "<Year>2026</Year><LEA>340</LEA><Estab>2001</Estab><SchoolName>Parkside</SchoolName>"
                )
                .replacingOccurrences(of: "IIO\\/\\/L", with: "KKQ\\/\\/L")
            let result = try await Self.importing(english, into: store)
            let found = try #require(result.disagreements.first)
            #expect(found.upn == Self.elin && found.school.laestab == LAESTAB(la: 340, estab: 2001))
            #expect(found.marks == OtherSchoolYear.Totals(possible: 13, attended: 13, authorised: 0, unauthorised: 0))
            #expect(found.file == OtherSchoolYear.Totals(possible: 14, attended: 11, authorised: 2, unauthorised: 1))
            // Both are kept: the marks counted, the file's totals as given.
            let kept = try #require(try await store.transfers.history(of: Self.elin).first)
            #expect(kept.totals == found.file && kept.marks?.contains("KKQ") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBadFileIsRefusedNamingTheElementAndWritesNothing(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let good = Self.text("hand-written.xml")
            let before = try await Self.counts(store)
            let cases: [(String, String)] = [
                (good.replacingOccurrences(of: "B801200005001", with: "C801200005001"), "Pupil 1/UPN"),
                (
                    good.replacingOccurrences(of: "IIO\\/\\/L", with: "IIA\\/\\/L"),
                    "Pupil 1 (UPN B801200005001)/Attendance/YearData 1/AttendSessions/AttendanceMarks"
                ),
                (good.replacingOccurrences(of: "</Forename>", with: "</Forenam>"), "line"),
                (
                    good.replacingOccurrences(of: "<Estab>4001</Estab>", with: "<Estab>2001</Estab>"),
                    "Header/DestSchool"
                ),
            ]
            for (xml, place) in cases {
                do {
                    _ = try await Self.importing(xml, into: store)
                    Issue.record("imported: \(place)")
                } catch let problem as CTFReader.Problem {
                    #expect(problem.place.hasPrefix(place), "\(problem)")
                }
            }
            #expect(try await Self.counts(store) == before)
        }
    }

    /// A file as DfE's published CTF-writing code writes one (its "get information about pupils" download: a
    /// byte-order mark, the header's data descriptor, free school meals history, Welsh details with nested codes,
    /// key stage assessments, no attendance) imports.
    @Test(arguments: TestDatabase.available)
    func aFileWrittenAsDfEsCodeWritesOneImports(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let read = try CTFReader.read(Self.fixture("dfe-giap-style.xml"))
            #expect(read.unread == ["Header/DataDescriptor", "Pupil/StageAssessments"])
            let result = try await store.transfers.importCTF(
                read, fileName: "dfe.xml", school: Self.school, today: Self.today, by: Self.office)
            let ffion = try UPN("N340200126001")
            #expect(result.added == [ffion] && result.prepared == 1 && result.years == 0)
            let stored = try await store.reference.requirePupil(ffion)
            // Free school meals ended in 2025: not now.
            #expect(stored.pupil.legalForename == "Ffion" && !stored.pupil.freeSchoolMeals)
            #expect(stored.pupil.yearGroup == "7")
        }
    }

    /// Done means: a file exported from the record after an import reads into an empty database with the same
    /// pupil and the same years at other schools, so the same report.
    @Test(arguments: TestDatabase.available)
    func exportingAndImportingIntoAnEmptyDatabaseGivesTheSameReport(_ database: TestDatabase) async throws {
        try await database.withStore { first in
            try await loadFixture(first)
            _ = try await Self.importing(Self.text("hand-written.xml"), into: first)
            for admission in try await first.transfers.admissions(school: Self.school) {
                try await first.transfers.confirmAdmission(
                    admission.id, school: Self.school, firstDay: Self.today, group: "8C", today: Self.today,
                    by: Self.office)
            }
            let file = try await first.registers.commonTransferFile(
                from: Self.school, to: LAESTAB(la: 665, estab: 2001), pupils: [Self.elin, Self.tomos],
                today: Self.today, dateTime: "2026-11-25T16:00:00", by: Self.office)
            let xml = CTFWriter.xml(file)
            let window = DateRange(start: day("2025-09-01"), notBefore: day("2026-11-30"))
            try await database.withStore { second in
                try await second.reference.importSchools(try ImportParser.schools(schoolCSV))
                let result = try await second.transfers.importCTF(
                    try CTFReader.read(Data(xml.utf8)), fileName: file.fileName, school: LAESTAB(la: 665, estab: 2001),
                    today: Self.today, by: Self.office)
                #expect(result.added == [Self.elin, Self.tomos])
                for upn in [Self.elin, Self.tomos] {
                    let (was, is_) = (
                        try await first.reference.requirePupil(upn).pupil,
                        try await second.reference.requirePupil(upn).pupil
                    )
                    #expect(was.legalSurname == is_.legalSurname && was.dateOfBirth == is_.dateOfBirth)
                    #expect(was.sex == is_.sex && was.yearGroup == is_.yearGroup)
                    func report(_ store: Store) async throws -> [PupilReportRow.Elsewhere] {
                        let (stored, summary) = try await store.registers.summary(of: upn, in: window)
                        return PupilReportRow(
                            row: SummaryRow(pupil: stored.pupil, range: window, summary: summary),
                            history: try await store.transfers.history(of: upn), range: window, welsh: store.codes,
                            rules: store.rules
                        ).elsewhere
                    }
                    #expect(try await report(first) == report(second))
                    #expect(try await report(second).count == 1)
                    let contacts = try await (first.contacts.contacts(of: upn), second.contacts.contacts(of: upn))
                    #expect(contacts.0.map(\.name) == contacts.1.map(\.name))
                    #expect(contacts.0.map(\.language) == contacts.1.map(\.language))
                }
            }
        }
    }
}
