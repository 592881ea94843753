import Testing

@testable import AttendanceInterop

@Suite struct CSVTests {
    @Test func readsQuotesNewlinesBOMAndCRLF() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"two, too\",\"say \"\"hi\"\"\"\r\n\r\n3,\"line\nbreak\",\n4,5,6"
        let records = try CSV.parse(text)
        #expect(
            records.map(\.fields) == [
                ["a", "b", "c"], ["1", "two, too", "say \"hi\""], ["3", "line\nbreak", ""], ["4", "5", "6"],
            ])
        #expect(records.map(\.line) == [1, 2, 4, 6])
    }

    @Test func refusesAnUnclosedQuote() {
        #expect(throws: CSVError.unterminatedQuote(line: 2)) { try CSV.parse("a,b\n1,\"open\n") }
        #expect(throws: CSVError.empty) { try CSV.parse("\n\n") }
    }

    @Test func escapesWhatNeedsIt() {
        #expect(CSV.line(["plain", "a,b", "say \"x\""]) == "plain,\"a,b\",\"say \"\"x\"\"\"\n")
    }
}
