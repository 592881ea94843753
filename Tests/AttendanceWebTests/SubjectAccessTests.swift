import AttendanceCore
import AttendanceInterop
import AttendanceLetters
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Issue 37: a subject access export holds every table that names the pupil, each with all its rows about them.
@Suite struct SubjectAccessTests {
    static let office = AuditActor("office@demo.example")

    @Test(arguments: WebTestDatabase.available)
    func theExportHoldsEveryTableThatNamesThePupil(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            // A record with casework: the procedure's actions, a batch of letters, and a change to a mark.
            try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
            let batch = try await app.context.letters.produceDue(
                school: mainSchool, today: testToday, by: Self.office, signatory: "Swyddfa")
            #expect(!batch.letterIDs.isEmpty)
            let letter = try #require(try await store.letters.letter(id: batch.letterIDs[0]))
            let upn = letter.upn
            var head = try await Browser.signedIn(app, as: .headTeacher)
            #expect(try await head.get("/pupils/\(upn.value)").body.string.contains("subject-access.zip"))
            let export = try await store.dataProtection.subjectAccess(upn)
            // The test's own reading of the schema: every table with a column naming a pupil.
            let pupilID = try #require(try await store.reference.pupil(upn)).id
            var expected: [String: Int] = [:]
            for (table, columns) in try await DataProtectionRepository.schema(
                store.sql, postgres: store.location.isPostgres
            ).columns {
                var count = 0
                if columns.contains("pupil_id") {
                    count += try await rows(store, "SELECT count(*) AS n FROM \(table) WHERE pupil_id = \(pupilID)")
                } else if columns.contains("upn") {
                    count += try await rows(store, "SELECT count(*) AS n FROM \(table) WHERE upn = '\(upn.value)'")
                }
                if table == "pupils" { count = 1 }
                if count > 0 { expected[table] = count }
            }
            #expect(expected.keys.contains("procedure_actions") && expected.keys.contains("letters"))
            #expect(expected.keys.contains("pupil_year_marks") && expected.keys.contains("enrolments"))
            let exported = Dictionary(uniqueKeysWithValues: export.tables.map { ($0.name, $0.rows.count) })
            for (table, count) in expected {
                if SubjectAccessExport.readAsMarks.contains(table) {
                    #expect(!export.marks.isEmpty, "\(table) is given as the marks")
                } else if table == "audit_events" {
                    #expect((exported[table] ?? 0) >= count, "\(table)")
                } else {
                    #expect(exported[table] == count, "\(table): \(exported[table] ?? 0) of \(count)")
                }
            }
            #expect(export.tables.allSatisfy { table in table.rows.allSatisfy { $0.count == table.columns.count } })
            // The file: a zip with the README, the marks, a CSV a table and the letter as sent; its making audited.
            let zip = try await head.get("/pupils/\(upn.value)/subject-access.zip")
            #expect(zip.status == .ok)
            #expect(zip.headers.contentType?.subType == "zip")
            let bytes = Data(zip.body.readableBytesView)
            #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
            for name in ["README.txt", "marks.csv", "tables/procedure_actions.csv", "tables/letters.csv", "letters/"] {
                #expect(bytes.range(of: Data(name.utf8)) != nil, "\(name)")
            }
            #expect(bytes.range(of: Data("Everything the attendance system holds about".utf8)) != nil)
            let audited = try await store.sql.raw(
                "SELECT count(*) AS n FROM audit_events WHERE action = 'subject_access' AND upn = \(bind: upn.value)"
            ).first()?.decode(column: "n", as: Int.self)
            #expect(audited == 1)
            // Another school's head may not; the education lead may.
            var lead = try await Browser.signedIn(app, as: .educationLead)
            #expect(try await lead.get("/pupils/\(upn.value)/subject-access.zip").status == .ok)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            #expect(try await office.get("/pupils/\(upn.value)/subject-access.zip").status == .forbidden)
            #expect(!(try await office.get("/pupils/\(upn.value)").body.string.contains("subject-access.zip")))
        }
    }

    @Test func aZipIsReadByAnotherReader() throws {
        var zip = ZipArchive()
        zip.add("a.csv", Data("x,y\n1,2\n".utf8))
        zip.add("letters/1.pdf", Data([0x25, 0x50, 0x44, 0x46]))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("t-\(UUID().uuidString).zip")
        try zip.data.write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let text = try ChildProcess.output([
            "python3", "-c",
            "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; "
                + "print(','.join(z.namelist()), z.read('a.csv').decode())",
            path.path,
        ])
        #expect(text.hasPrefix("a.csv,letters/1.pdf x,y\n1,2"))
    }

    private func rows(_ store: Store, _ query: String) async throws -> Int {
        try await store.sql.raw(SQLQueryString(query)).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
