import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Transfer files on the web (issue 36): the office uploads a CTF, sees what it brought, confirms the admission it
/// prepared, finds the other school's year on the pupil's page (never in the school's figures), and makes a
/// leaving pupil's file; a broken file is refused on the page naming where, writing nothing.
@Suite struct TransfersWebTests {
    static func fixture(_ name: String) -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/ctf/\(name)")
        return (try? Data(contentsOf: url)) ?? Data()
    }

    static func counts(_ store: Store) async throws -> [Int] {
        var result: [Int] = []
        for table in ["pupils", "contacts", "ctf_imports", "ctf_admissions", "other_school_years"] {
            result.append(
                try await store.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?
                    .decode(column: "n", as: Int.self) ?? -1)
        }
        return result
    }

    @Test(arguments: WebTestDatabase.available)
    func theOfficeImportsAFileAdmitsThePupilAndMakesALeaversFile(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let page = "/schools/\(mainSchool)/transfers"
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get(page)
            // A broken file: the page says where, in the reader's language, and nothing is written.
            let before = try await Self.counts(store)
            let broken = String(decoding: Self.fixture("hand-written.xml"), as: UTF8.self)
                .replacingOccurrences(of: "IIO\\/\\/L", with: "IIA\\/\\/L")
            let refused = try await office.upload(page, field: "file", fileName: "bad.xml", data: Data(broken.utf8))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("is in neither the Welsh codes nor England"))
            #expect(refused.body.string.contains("Pupil 1 (UPN B801200005001)/Attendance/YearData 1"))
            #expect(try await Self.counts(store) == before)
            // No file at all: said so.
            let empty = try await office.upload(page, field: "file", fileName: "", data: Data())
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("Choose the transfer file"))
            // The file: what it brought, and the admission waiting.
            let sent = try await office.upload(
                page, field: "file", fileName: "6654002_CTF_6654001_001.xml", data: Self.fixture("hand-written.xml"))
            #expect(sent.status == .seeOther)
            let summary = try await office.get(try #require(sent.headers.first(name: .location)))
            #expect(summary.body.string.contains("6654002_CTF_6654001_001.xml: 2 pupils, with 2 years"))
            #expect(summary.body.string.contains("Pupil/StagedData"))
            #expect(summary.body.string.contains("Elin Owen"))
            let admission = try #require(try await store.transfers.admissions(school: mainSchool).first)
            #expect(admission.pupil.upn.value == "B801200005001")
            // The office confirms with the first day and form group; a second click is told it was done.
            let admit = "\(page)/admissions/\(admission.id)"
            let admitted = try await office.post(admit, ["first_day": testToday.iso, "group": "8C"])
            #expect(admitted.status == .seeOther)
            #expect(try await office.post(admit, ["first_day": testToday.iso, "group": "8C"]).status == .conflict)
            // The pupil's page: the other school's year beside this school's figures, counted from its marks.
            let pupil = try await office.get("/pupils/B801200005001")
            #expect(pupil.status == .ok)
            #expect(pupil.body.string.contains("Attendance at other schools"))
            #expect(pupil.body.string.contains("Ysgol y Grango (6654002)"))
            #expect(pupil.body.string.contains("<td>14</td><td>11</td><td>2</td><td>1</td><td>78.6%</td>"))
            // The leaving pupil's file, for the new school: a download that reads back, audited as made.
            let made = try await office.post(
                "/schools/\(mainSchool)/pupils/B801200005001/ctf", ["to": allocatedSchool.description])
            #expect(made.status == .ok)
            #expect(made.headers.contentDisposition?.filename == "6654001_CTF_6652002_001.xml")
            let file = try CTFReader.read(Data(made.body.readableBytesView)).file
            #expect(file.header.destination?.laestab == allocatedSchool)
            #expect(file.pupils.first?.attendance.contains { $0.school.laestab.description == "6654002" } == true)
            let audit = try await store.auditTrail.search(AuditQuery(schools: [mainSchool]))
            for action in ["ctf.imported", "ctf.admitted", "ctf.made"] {
                #expect(audit.contains { $0.action == action && $0.actor == "office@demo.example" }, "\(action)")
            }
            // The education lead reads the page without the office's admit button, and cannot admit.
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let leads = try await lead.get(page)
            #expect(leads.status == .ok && !leads.body.string.contains("name=\"first_day\""))
        }
    }

    /// A pupil taken off the roll as admitted elsewhere has their file made for the new school, listed for the
    /// office until it is marked sent (once: a second click is told so).
    @Test(arguments: WebTestDatabase.available)
    func aPupilAdmittedElsewhereHasTheirFileListedUntilItIsSent(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let leaver = try #require(try await store.reference.onRoll(mainSchool, on: testToday).first).upn
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.post(
                "/schools/\(mainSchool)/pupils/\(leaver.value)/off-roll",
                ["ground": "admitted_elsewhere", "day": testToday.iso, "new_laestab": allocatedSchool.description])
            let held = try await store.transfers.heldFiles(school: mainSchool)
            #expect(held.map(\.upn) == [leaver] && held.first?.destination == allocatedSchool)
            let page = try await office.get("/schools/\(mainSchool)/transfers")
            let file = try #require(held.first)
            #expect(page.body.string.contains(file.fileName) && page.body.string.contains("Mark as sent"))
            let download = try await office.get("/schools/\(mainSchool)/transfers/files/\(file.id)")
            #expect(download.status == .ok)
            let read = try CTFReader.read(Data(download.body.readableBytesView)).file
            #expect(read.pupils.map(\.upn) == [leaver] && read.header.destination?.laestab == allocatedSchool)
            try await office.get("/schools/\(mainSchool)/transfers")
            let sent = "/schools/\(mainSchool)/transfers/files/\(file.id)/sent"
            #expect(try await office.post(sent, [:]).status == .seeOther)
            #expect(try await office.post(sent, [:]).status == .conflict)
            #expect(try await store.transfers.heldFiles(school: mainSchool).isEmpty)
            let audit = try await store.auditTrail.search(AuditQuery(schools: [mainSchool]))
            for action in ["ctf.made", "ctf.downloaded", "ctf.sent"] {
                #expect(audit.contains { $0.action == action && $0.subject == file.fileName }, "\(action)")
            }
        }
    }

    /// A pupil whose whereabouts stayed unknown after the CME enquiries: their file is made with no destination and
    /// held for the authority's CME process, on the lead's page, until someone sends it on.
    @Test func aFileWithNoKnownDestinationIsHeldForTheLeadsMissingEducationProcess() async throws {
        try await withWebApp { app, store in
            let lost = try #require(try await store.reference.onRoll(mainSchool, on: testToday).last).upn
            let office = AuditActor("office@demo.example")
            let referral = try await store.roll.referMissingEducation(
                lost, school: mainSchool, reason: "Dim ateb", on: testToday.adding(days: -10), by: office)
            try await store.roll.completeMissingEducation(
                referral.id, outcome: .whereaboutsUnknown, school: nil, on: testToday.adding(days: -1),
                by: AuditActor("lead@demo.example"))
            try await store.roll.removeFromRoll(
                lost, school: mainSchool, on: testToday, ground: .whereaboutsUnknown, newSchool: nil, by: office)
            let held = try #require(try await store.transfers.heldWithoutDestination().first)
            #expect(held.upn == lost && held.school == mainSchool && held.destination == nil)
            #expect(held.fileName == "6654001_CTF_XXXXXXX_001.xml")
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let page = try await lead.get("/missing-education")
            #expect(page.body.string.contains("Transfer files held for this process"))
            #expect(page.body.string.contains("/schools/\(mainSchool)/transfers/files/\(held.id)"))
            let file = try await lead.get("/schools/\(mainSchool)/transfers/files/\(held.id)")
            #expect(try CTFReader.read(Data(file.body.readableBytesView)).file.header.destination == nil)
        }
    }
}
