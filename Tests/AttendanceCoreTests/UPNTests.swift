import Testing

@testable import AttendanceCore

@Suite struct UPNTests {
    @Test func workedExampleFromDomain() throws {
        #expect(try UPN.checkLetter(forBody: "801200005001") == "B")
        #expect(try UPN("B801200005001").value == "B801200005001")
        // Typed in lower case, it is the same UPN; a wrong check letter is wrong in either case.
        #expect(try UPN("b801200005001").value == "B801200005001")
        #expect(try UPN("m80120000500a").value == "M80120000500A")
        #expect(throws: UPN.Problem.self) { try UPN("c801200005001") }
    }

    @Test(arguments: [
        ("B801200005001", nil as UPN.Problem?),
        ("b801200005001", nil),
        ("C801200005001", .wrongCheckLetter(expected: "B")),
        ("B80120000500", .wrongLength(12)),
        ("B8012000050011", .wrongLength(14)),
        ("B80120000A001", .badCharacter(position: 10)),
        ("B80120000500I", .badCharacter(position: 13)),  // I is not in the table
        ("B8012000A50é1", .badCharacter(position: 9)),  // the first character not allowed, before the é
        ("B80120000500é", .badCharacter(position: 13)),
        ("É801200005001", .wrongCheckLetter(expected: "B")),
        ("B80120000500\r\n", .badCharacter(position: 13)),  // CR LF is one character, as a person counts
    ])
    func validation(text: String, problem: UPN.Problem?) {
        do {
            _ = try UPN(text)
            #expect(problem == nil)
        } catch {
            #expect(error == problem)
        }
    }

    @Test func temporaryUPNsEndInALetterValuedByTheTable() throws {
        // Body 80120000500A: the final A is worth 0, so the sum is 93 - 13 = 80; 80 mod 23 = 11 -> M.
        #expect(try UPN.checkLetter(forBody: "80120000500A") == "M")
        let temporary = try UPN("M80120000500A")
        #expect(temporary.isTemporary)
        #expect(try !UPN("B801200005001").isTemporary)
    }

    @Test func madeUPNsAreValid() throws {
        for serial in 0..<300 {
            let upn = UPN.make(la: 665, estab: 2001, year: 18, serial: serial)
            #expect(try UPN(upn.value) == upn)
        }
    }
}
