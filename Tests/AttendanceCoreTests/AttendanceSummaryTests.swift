import Testing

@testable import AttendanceCore

let wales = CodeTable.wales2010

/// Codes from a compact string of one-character Welsh codes.
func codes(_ text: String) -> [AttendanceCode] { text.map { wales[String($0)]! } }

func codes(_ code: String, _ count: Int) -> [AttendanceCode] { Array(repeating: wales[code]!, count: count) }

@Suite struct AttendanceSummaryTests {
    @Test func everyCodeCountsAsDomainSection3Says() {
        let summary = AttendanceSummary(codes: codes(#"/\LBDJPTVWCEFHIMRSGNOUXYZ#"#))
        #expect(summary.present == 3)
        #expect(summary.approvedActivity == 7)
        #expect(summary.attended == 10)
        #expect(summary.authorised == 8)
        #expect(summary.unauthorised == 4)
        #expect(summary.notCounted == 4)
        #expect(summary.possible == 22)
        #expect(summary.lateBeforeClose == 1)
        #expect(summary.lateAfterClose == 1)
        #expect(summary.possible == summary.attended + summary.authorised + summary.unauthorised)
    }

    @Test func notCountedCodesAreNotPossibleSessions() {
        let summary = AttendanceSummary(codes: codes("/", 9) + codes("#XYZ"))
        #expect(summary.possible == 9)
        #expect(summary.attendancePercentText == "100.0%")
    }

    @Test func nothingPossibleHasNoPercentageOrBand() {
        let summary = AttendanceSummary(codes: codes("##"))
        #expect(summary.possible == 0)
        #expect(summary.attendancePercent == nil)
        #expect(summary.band == nil)
        #expect(!summary.persistentAbsence)
        #expect(summary.attendancePercentText == "–")
    }

    @Test(arguments: [
        // attended, absent, percent shown, band, persistent absence
        (970, 30, "97.0%", Band.green, false),
        // The band follows the exact figure, as the ESW's "below 92%" list does; only the text is rounded.
        (9696, 304, "97.0%", .amber, false),  // 96.96 is below 97, though shown as 97.0
        (9694, 306, "96.9%", .amber, false),
        (920, 80, "92.0%", .amber, false),
        (9196, 804, "92.0%", .red, false),  // 91.96 is below 92: RED, shown as 92.0
        (919, 81, "91.9%", .red, false),
        (900, 100, "90.0%", .red, true),  // exactly 10% missed is persistent absence
        (9001, 999, "90.0%", .red, false),  // 9.99% missed is not, though it shows 90.0%
        (0, 10, "0.0%", .red, true),
        (1000, 0, "100.0%", .green, false),
    ])
    func percentageBandAndPersistentAbsenceAtTheirEdges(
        attended: Int, absent: Int, shown: String, band: Band, persistent: Bool
    ) {
        let summary = AttendanceSummary(codes: codes("/", attended) + codes("I", absent))
        #expect(summary.attendancePercentText == shown)
        #expect(summary.band == band)
        #expect(summary.persistentAbsence == persistent)
    }

    @Test func groupsAddCountsNotPercentages() {
        let a = AttendanceSummary(codes: codes("/", 10))
        let b = AttendanceSummary(codes: codes("/", 80) + codes("N", 10))
        let both = a + b
        #expect(both.possible == 100)
        #expect(both.attendancePercentText == "90.0%")
        #expect(both.unauthorised == 10)
    }

    @Test func yearMarksGiveTheSameSummaryAsCountingCodes() {
        var generator = SplitMix64(seed: 42)
        let table = wales
        for yearStart in [2023, 2024] {
            let year = AcademicYear(startYear: yearStart)
            var marks = YearMarks(academicYear: year)
            var stored: [SchoolSession: AttendanceCode] = [:]
            for slot in 0..<year.sessionSlotCount where generator.next() % 3 != 0 {
                let code = table.codes[Int(generator.next() % UInt64(table.codes.count))]
                let session = SchoolSession(academicYear: year, slot: slot)
                marks.set(code, at: session)
                stored[session] = code
            }
            for _ in 0..<50 {
                let a = year.firstDay.adding(days: Int(generator.next() % 400) - 20)
                let b = a.adding(days: Int(generator.next() % 200))
                let window = DateRange(a, b)!
                let expected = AttendanceSummary(codes: stored.filter { window.contains($0.key.date) }.map(\.value))
                #expect(marks.summary(in: window, table: table) == expected)
                #expect(YearMarks.summary(of: marks.bytes, year: year, in: window, table: table) == expected)
            }
        }
    }

    @Test func yearMarksListTheirMarksInOrder() {
        var marks = YearMarks(academicYear: AcademicYear(startYear: 2025))
        marks.set(wales["N"], at: SchoolSession(day("2025-10-06"), .pm))
        marks.set(wales["/"], at: SchoolSession(day("2025-09-02"), .am))
        let listed = marks.marks(table: wales)
        #expect(listed.map { $0.0.description } == ["2025-09-02 AM", "2025-10-06 PM"])
        #expect(listed.map { $0.1.code } == ["/", "N"])
        marks.set(nil, at: SchoolSession(day("2025-10-06"), .pm))
        #expect(marks.marks(table: wales).count == 1)
    }
}
