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

    @Test(arguments: [
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+44 1978 000000", "'+44 1978 000000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "\"'\r=1\""),
        ("O'Neill", "O'Neill"),
        ("2026-11-25", "2026-11-25"),
        ("/", "/"),
    ])
    func aCellThatASpreadsheetWouldRunIsWrittenAsText(field: String, written: String) {
        #expect(CSV.escape(field) == written)
        // Read back, it is the same text behind one apostrophe: nothing is lost.
        let back = try? CSV.parse("h\n" + CSV.line([field]))
        let starts = field.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false
        #expect(back?[1].fields == [starts ? "'" + field : field])
    }
}
