import AttendanceCore
import Foundation
import Testing

@testable import AttendanceInterop

/// Common Transfer Files (issue 36, points 1 and 2): read leniently, refused exactly, written so they read back.
@Suite struct CTFTests {
    /// Written by hand from DOMAIN.md section 11 (`Tests/fixtures/ctf/hand-written.xml`): two pupils, one with marks
    /// across the autumn half term, one with totals only, a contact each with parental responsibility and a
    /// Welsh-language preference, and elements this reader does not know.
    static let handWritten = fixture("hand-written.xml")

    /// A file from the fixtures shared with the store's and the command's tests (empty if missing: every test then
    /// fails on it).
    static func fixture(_ name: String) -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/ctf/\(name)")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    @Test func aHandWrittenFileReadsWithWhatItCouldNotRead() throws {
        let result = try CTFReader.read(Data(Self.handWritten.utf8))
        let file = result.file
        #expect(file.header.source.laestab == LAESTAB(la: 665, estab: 4002))
        #expect(file.header.destination?.laestab == LAESTAB(la: 665, estab: 4001))
        #expect(file.header.academicYear == 2026 && file.header.qualifier == "partial")
        #expect(file.pupils.count == 2)
        let elin = file.pupils[0]
        #expect(elin.upn.value == "B801200005001" && elin.sex == .female && elin.yearGroup == "8")
        #expect(elin.freeSchoolMeals == [CommonTransferFile.Spell(start: LocalDate(iso: "2025-01-06")!, end: nil)])
        #expect(elin.contacts.first?.parentalResponsibility == true && elin.contacts.first?.language == .cy)
        #expect(elin.contacts.first?.phones.first?.number == "07700 900123")
        #expect(elin.address == ["12", "Stryt Fawr", "Wrecsam"])
        #expect(elin.welsh == ["SpeakWelsh": "F", "HomeWelsh": "A"])
        // The marks: Wednesday 21 October to Thursday 5 November, the weekends and half term written as "#".
        let days = elin.attendance[0].days
        #expect(days.first?.date.iso == "2026-10-21" && days.first?.am == "/" && days.first?.pm == "\\")
        #expect(!days.contains { $0.date.iso == "2026-10-26" })
        #expect(days.contains { $0.date.iso == "2026-11-02" && $0.am == "I" && $0.pm == "I" })
        #expect(days.count == 7 && days.last?.date.iso == "2026-11-05" && days.last?.pm == "L")
        let tomos = file.pupils[1]
        #expect(tomos.attendance[0].marks == nil && tomos.attendance[0].possible == 380)
        #expect(tomos.contacts.first?.language == .en && tomos.contacts.first?.parentalResponsibility == true)
        // What was not read is said, not fatal.
        #expect(result.unread.contains("Pupil/StagedData"))
        #expect(result.unread.contains("Header/SupplierID") == false)
    }

    @Test func writtenThenReadItIsTheSameRecord() throws {
        let file = try CTFReader.read(Data(Self.handWritten.utf8)).file
        let written = CTFWriter.xml(file)
        let again = try CTFReader.read(Data(written.utf8))
        #expect(again.file == file)
        #expect(again.unread.isEmpty)
        #expect(file.fileName == "6654002_CTF_6654001_001.xml")
        // Text that is markup is escaped, and reads back as written.
        var tricky = file
        tricky.pupils[0].surname = "O'Brien & <Sons>"
        #expect(try CTFReader.read(Data(CTFWriter.xml(tricky).utf8)).file == tricky)
        // No destination: written without one, read back as unknown.
        tricky.header.destination = nil
        #expect(try CTFReader.read(Data(CTFWriter.xml(tricky).utf8)).file.header.destination == nil)
        #expect(tricky.fileName == "6654002_CTF_XXXXXXX_001.xml")
    }

    @Test func aBrokenFileIsRefusedNamingTheElement() {
        func problem(_ xml: String) -> CTFReader.Problem? {
            do {
                _ = try CTFReader.read(Data(xml.utf8))
                return nil
            } catch { return error }
        }
        let badUPN = Self.handWritten.replacingOccurrences(of: "B801200005001", with: "C801200005001")
        #expect(problem(badUPN)?.place == "Pupil 1/UPN")
        let badNumber = Self.handWritten.replacingOccurrences(
            of: "<SessionsPossible>14</SessionsPossible>", with: "<SessionsPossible>fourteen</SessionsPossible>")
        #expect(problem(badNumber)?.place == "Pupil 1 (UPN B801200005001)/Attendance/YearData 1/SessionsPossible")
        let broken = Self.handWritten.replacingOccurrences(of: "</Surname>", with: "</Surnam>")
        #expect(problem(broken)?.why.english.hasPrefix("not well-formed XML") == true)
        let noDate = Self.handWritten.replacingOccurrences(of: "<DOB>2014-09-30</DOB>", with: "<DOB>30/09/2014</DOB>")
        #expect(problem(noDate)?.place == "Pupil 2 (UPN H665400125007)/DOB")
        #expect(problem("<Other/>")?.why == .notACTF)
        // No document type, so no entity is ever declared and expanded.
        let entities = """
            <?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>
            <CTfile><Header>&b;</Header></CTfile>
            """
        #expect(problem(entities)?.why == .notXML("a document type declaration"))
        // What comes from outside is bounded: dates to 1990–2100, names and numbers to what such a field holds.
        let ancient = Self.handWritten.replacingOccurrences(of: "<DOB>2014-09-30</DOB>", with: "<DOB>0001-01-01</DOB>")
        #expect(problem(ancient)?.why == .notADate("0001-01-01"))
        let long = Self.handWritten.replacingOccurrences(
            of: "<Surname>Jones</Surname>\n      <Forename>Tomos",
            with: "<Surname>\(String(repeating: "J", count: 101))</Surname>\n      <Forename>Tomos")
        #expect(problem(long) == CTFReader.Problem(place: "Pupil 2 (UPN H665400125007)/Surname", why: .tooLong(100)))
        let many = Self.handWritten.replacingOccurrences(
            of: "<SessionsPossible>380</SessionsPossible>", with: "<SessionsPossible>100000</SessionsPossible>")
        #expect(problem(many)?.why == .tooLarge(732))
        let endless = Self.handWritten.replacingOccurrences(
            of: "##################IIO", with: String(repeating: "#", count: 800) + "IIO")
        #expect(
            problem(endless)?.place
                == "Pupil 1 (UPN B801200005001)/Attendance/YearData 1/AttendSessions/AttendanceMarks")
    }
}
