import Foundation
import Testing

@testable import AttendanceCore

@Suite struct CodeTableTests {
    @Test func theWelshSetIsComplete() {
        let table = CodeTable.wales2010
        #expect(table.codes.count == 26)
        #expect(Set(table.codes(in: .present).map(\.code)) == [#"/"#, #"\"#, "L"])
        #expect(Set(table.codes(in: .approvedActivity).map(\.code)) == ["B", "D", "J", "P", "T", "V", "W"])
        #expect(Set(table.codes(in: .authorised).map(\.code)) == ["C", "E", "F", "H", "I", "M", "R", "S"])
        #expect(Set(table.codes(in: .unauthorised).map(\.code)) == ["G", "N", "O", "U"])
        #expect(Set(table.codes(in: .notCounted).map(\.code)) == ["X", "Y", "Z", "#"])
        #expect(table.code(meaning: .lateAfterClose)?.code == "U")
        #expect(table.code(meaning: .lateBeforeClose)?.code == "L")
        #expect(table["I"]?.nameCy == "Salwch")
        #expect(table["/"]?.id == UInt8(ascii: "/"))
        for code in table.codes {
            #expect(!code.nameEn.isEmpty && !code.nameCy.isEmpty && code.nameEn != code.nameCy)
            #expect(table.code(id: code.id) == code)
        }
        // Only the head may authorise absence.
        #expect(table.codes(in: .authorised).allSatisfy { $0.requiresAuthorisation })
        #expect(!table.codes(in: .unauthorised).contains { $0.requiresAuthorisation })
    }

    @Test func anotherTableWithLongerCodesLoadsFromAFile() throws {
        let json = #"""
            {"name": "england-2024", "codes": [
              {"code": "/", "category": "present", "name_en": "Present (AM)", "name_cy": "Presennol (bore)"},
              {"code": "L", "category": "present", "meanings": ["late_before_close"], "name_en": "Late", "name_cy": "Hwyr"},
              {"code": "C1", "id": 200, "category": "authorised", "name_en": "Regulated performance",
               "name_cy": "Perfformiad rheoledig"},
              {"code": "U", "category": "unauthorised", "meanings": ["late_after_close"], "name_en": "Late after close",
               "name_cy": "Hwyr ar ôl cau"},
              {"code": "N", "category": "unauthorised", "meanings": ["no_reason_yet"], "name_en": "No reason",
               "name_cy": "Dim rheswm"},
              {"code": "Y1", "id": 201, "category": "not_counted", "name_en": "Transport", "name_cy": "Trafnidiaeth"}
            ]}
            """#
        let table = try CodeTable(json: Data(json.utf8))
        #expect(table.name == "england-2024")
        #expect(table["C1"]?.id == 200)
        let summary = AttendanceSummary(codes: ["/", "C1", "Y1", "U"].map { table[$0]! })
        #expect(summary.possible == 3)
        #expect(summary.lateAfterClose == 1)
    }

    @Test(arguments: [
        (#"{"name": "x", "codes": []}"#, "the code table has no codes"),
        (
            #"{"name": "x", "codes": [{"code": "AB", "category": "present", "name_en": "a", "name_cy": "b"}]}"#,
            "code AB: a code longer than one character needs an id"
        ),
        (#"{"name": "x", "codes": [{"code": "A", "category": "here", "name_en": "a", "name_cy": "b"}]}"#, "category"),
        (#"{"name": "x", "codes": [{"code": "A", "category": "present", "name_en": "a"}]}"#, "name_cy is missing"),
        (
            #"{"name": "x", "codes": [{"code": "A", "category": "present", "name_en": "a", "name_cy": "b"}]}"#,
            "late_before_close"
        ),
    ])
    func badTablesAreRefusedNamingTheProblem(json: String, expected: String) {
        do {
            _ = try CodeTable(json: Data(json.utf8))
            Issue.record("a bad table was accepted")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test func duplicateCodesAreRefused() {
        let code = AttendanceCode(code: "A", id: 65, nameEn: "a", nameCy: "b", category: .present)
        #expect(throws: CodeTableError.duplicateCode("A")) { try CodeTable(name: "x", codes: [code, code]) }
    }
}

@Suite struct CodeTableRoundTripTests {
    @Test func theShippedTableRoundTripsThroughItsJSON() throws {
        let table = CodeTable.wales2010
        let again = try CodeTable(json: try table.json())
        #expect(again.name == table.name)
        #expect(again.codes == table.codes)
        #expect(try again.json() == table.json())
    }
}
