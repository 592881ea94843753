import AttendanceCore
import AttendanceInterop
import Foundation
import Testing

@testable import AttendanceStore

/// A Common Transfer File made from the record (issue 36, point 2) reads back with the school's own figures and
/// marks.
@Suite struct CTFStoreTests {
    @Test(arguments: TestDatabase.available)
    func aFileFromTheRecordReadsBackWithTheSchoolsFiguresAndMarks(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let today = day("2026-11-25")
            try await store.demo.load(
                DemoAuthority(options: .init(schools: 2, pupilsPerSchool: 60, until: today, seed: 4)))
            let school = try #require(try await store.reference.schools().first?.school)
            let upns = Array(try await store.reference.onRoll(school.laestab, on: today).prefix(3).map(\.upn))
            let file = try await store.registers.commonTransferFile(
                from: school.laestab, to: nil, pupils: upns, today: today, dateTime: "2026-11-25T16:00:00",
                by: AuditActor("office@example.org"))
            let read = try CTFReader.read(Data(CTFWriter.xml(file).utf8))
            #expect(read.file == file && read.unread.isEmpty)
            #expect(file.header.destination == nil && file.fileName.hasSuffix("_CTF_XXXXXXX_001.xml"))
            for pupil in read.file.pupils {
                let stored = try await store.reference.requirePupil(pupil.upn)
                #expect(pupil.surname == stored.pupil.legalSurname && pupil.dateOfBirth == stored.pupil.dateOfBirth)
                let contacts = try await store.contacts.contacts(of: pupil.upn)
                #expect(pupil.contacts.count == contacts.count)
                // Each year's totals are the school's report for the year; its marks are the register's.
                for year in pupil.attendance {
                    let range = AcademicYear(startYear: year.year).range
                    let line = try #require(
                        try await store.registers.schoolReport(school.laestab, in: range).first {
                            $0.pupil.upn == pupil.upn
                        })
                    #expect(year.possible == line.summary.possible && year.attended == line.summary.attended)
                    #expect(
                        year.authorised == line.summary.authorised && year.unauthorised == line.summary.unauthorised)
                    let marks = try await store.registers.marks(of: pupil.upn, in: range)
                    var fromFile: [String: String] = [:]
                    for day in year.days {
                        if let am = day.am { fromFile["\(day.date.iso) am"] = am }
                        if let pm = day.pm { fromFile["\(day.date.iso) pm"] = pm }
                    }
                    let fromRegister = Dictionary(
                        marks.map {
                            ("\($0.mark.session.date.iso) \($0.mark.session.half.rawValue.lowercased())", $0.mark.code)
                        },
                        uniquingKeysWith: { a, _ in a })
                    #expect(fromFile == fromRegister)
                }
            }
            let audit = try await store.auditTrail.search(AuditQuery(schools: [school.laestab]))
            #expect(audit.contains { $0.action == "ctf.made" && $0.actor == "office@example.org" })
        }
    }
}
