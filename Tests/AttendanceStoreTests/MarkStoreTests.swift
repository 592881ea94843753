import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

/// The summary a pupil's mark rows give when counted one by one: what the compact strings must match.
func summaryFromRows(_ store: Store, _ upn: UPN, _ range: DateRange) async throws -> AttendanceSummary {
    AttendanceSummary(
        codes: try await store.registers.marks(of: upn, in: range).map { store.codes[$0.mark.code]! },
        rules: store.rules)
}

func count(_ store: Store, _ table: String) async throws -> Int {
    try await store.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decodingColumn: "n", as: Int.self)!
}

/// The marks the record holds, counted from the stored year strings themselves: a session with a code, which must
/// also name who recorded it.
func countMarks(_ store: Store) async throws -> Int {
    let rows = try await store.sql.raw(
        """
        SELECT y.marks, r.recordings FROM pupil_year_marks y LEFT JOIN pupil_year_recordings r
        ON r.pupil_id = y.pupil_id AND r.academic_year = y.academic_year
        """
    ).all()
    var marks = 0
    for row in rows {
        let codes = Array(try row.decode(column: "marks", as: Data.self))
        let recorders = Array(try row.decode(column: "recordings", as: Data?.self) ?? Data())
        for (slot, code) in codes.enumerated() where code != 0 {
            marks += 1
            #expect(recorders.count >= slot * 4 + 4 && recorders[slot * 4..<slot * 4 + 4].contains { $0 != 0 })
        }
    }
    return marks
}

@Suite struct MarkStoreTests {
    @Test(arguments: TestDatabase.available)
    func importingMarksTwiceChangesNothing(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let csv = marksCSV([
                "\(alys),2025-10-06,AM,/,", "\(alys),2025-10-06,PM,\\,", "\(alys),2025-10-07,AM,L,12",
                "\(alys),2025-10-07,PM,N,", "\(cai),2025-10-06,AM,U,40",
            ])
            let first = try await store.registers.importMarks(
                try ImportParser.marks(csv, codes: store.codes), school: school, source: "m.csv", authorisesAt: [school]
            )
            #expect(first == MarkWriteResult(inserted: 5))
            let second = try await store.registers.importMarks(
                try ImportParser.marks(csv, codes: store.codes), school: nil, source: "m.csv", authorisesAt: [school])
            #expect(second == MarkWriteResult(unchanged: 5))
            #expect(try await countMarks(store) == 5)
            #expect(try await count(store, "mark_amendments") == 0)
            let marks = try await store.registers.marks(of: alys, in: DateRange(day("2025-10-01"), day("2025-10-31"))!)
            #expect(marks.map(\.mark.code) == ["/", "\\", "L", "N"])
            #expect(marks[2].mark.minutesLate == 12)
            #expect(marks[0].recordedBy == "import")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBadFileWritesNothingAndNamesEveryLine(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let stranger = UPN.make(la: 665, estab: 4001, year: 25, serial: 50)
            let csv = marksCSV([
                "\(alys),2025-10-06,AM,/,",  // fine
                "\(stranger),2025-10-06,AM,/,",  // unknown pupil
                "\(cai),2025-10-03,AM,/,",  // before Cai joined
                "\(bryn),2025-11-17,AM,/,",  // after Bryn left
                "\(alys),2025-10-28,AM,/,",  // half-term
                "\(alys),2025-10-11,AM,/,",  // Saturday
                "\(alys),2025-09-01,AM,/,",  // INSET day
                "\(alys),2025-09-01,PM,#,",  // the closed code on an INSET day is allowed
                "\(alys),2026-04-20,AM,/,",  // outside the terms
            ])
            do {
                try await store.registers.importMarks(
                    try ImportParser.marks(csv, codes: store.codes), school: school, source: "bad.csv",
                    authorisesAt: [school])
                Issue.record("a bad file was imported")
            } catch let problems as ImportProblems {
                #expect(
                    problems.problems.map(\.description) == [
                        "line 3: upn: no pupil has the UPN \(stranger)",
                        "line 4: date: \(cai) is not on roll at 6654001 on 2025-10-03",
                        "line 5: date: \(bryn) is not on roll at 6654001 on 2025-11-17",
                        "line 6: date: 2025-10-28 is not a school day at 6654001 (Half term)",
                        "line 7: date: 2025-10-11 is not a school day at 6654001 (a weekend)",
                        "line 8: date: 2025-09-01 is not a school day at 6654001 (INSET)",
                        "line 10: date: 2026-04-20 is not a school day at 6654001 (outside the terms)",
                    ])
            }
            #expect(try await countMarks(store) == 0)
            #expect(try await count(store, "pupil_year_marks") == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCorrectionKeepsTheOriginalAndNeedsAReason(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let pupil = try await store.reference.requirePupil(alys)
            let schoolID = try await store.reference.requireSchool(school).id
            let session = SchoolSession(day("2025-10-06"), .am)
            func entry(_ code: String, minutes: Int? = nil) -> MarkEntry {
                MarkEntry(
                    pupilID: pupil.id, schoolID: schoolID,
                    mark: Mark(upn: alys, session: session, code: code, minutesLate: minutes))
            }
            let taken = Date(timeIntervalSince1970: 1_759_740_000)
            try await store.registers.writeMarks([entry("N")], by: AuditActor("user:tutor"), reason: nil, at: taken)
            // Another new mark in the same call must not be written when the change is refused.
            let other = MarkEntry(
                pupilID: pupil.id, schoolID: schoolID,
                mark: Mark(upn: alys, session: SchoolSession(day("2025-10-06"), .pm), code: "N"))
            await #expect(throws: StoreError.reasonRequired(alys, session, current: "N")) {
                try await store.registers.writeMarks([other, entry("I")], by: AuditActor("user:office"), reason: nil)
            }
            await #expect(throws: StoreError.reasonRequired(alys, session, current: "N")) {
                try await store.registers.writeMarks([entry("I")], by: AuditActor("user:office"), reason: "  ")
            }
            await #expect(throws: StoreError.unknownCode("Q")) {
                try await store.registers.writeMarks([entry("Q")], by: AuditActor("user:office"), reason: "typo")
            }
            await #expect(throws: StoreError.duplicateMark(alys, session)) {
                try await store.registers.writeMarks(
                    [entry("I"), entry("M")], by: AuditActor("user:office"), reason: "twice")
            }
            #expect(try await countMarks(store) == 1)
            let changed = Date(timeIntervalSince1970: 1_759_750_000)
            let result = try await store.registers.writeMarks(
                [entry("I")], by: AuditActor("user:office"), reason: "Mother phoned: flu", at: changed)
            #expect(result == MarkWriteResult(amended: 1))
            let history = try await store.registers.amendments(of: alys)
            #expect(history.count == 1)
            #expect(history[0].oldCode == "N")
            #expect(history[0].oldRecordedBy == "user:tutor")
            #expect(history[0].oldRecordedAt == taken)
            #expect(history[0].newCode == "I")
            #expect(history[0].changedBy == "user:office")
            #expect(history[0].changedAt == changed)
            #expect(history[0].reason == "Mother phoned: flu")
            let week = DateRange(day("2025-10-06"), day("2025-10-10"))!
            let (_, summary) = try await store.registers.summary(of: alys, in: week)
            #expect(summary.authorised == 1 && summary.unauthorised == 0)
            #expect(summary == (try await summaryFromRows(store, alys, week)))
        }
    }

    @Test(arguments: TestDatabase.available)
    func compactStringsMatchTheRowsOnRandomData(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let calendar = try await store.reference.calendar(
                for: try await store.reference.requireSchool(school).school)
            let schoolID = try await store.reference.requireSchool(school).id
            var random = SplitMix64(seed: 11)
            let codes = store.codes.codes
            for round in 0..<3 {
                var entries: [MarkEntry] = []
                for upn in [alys, cai] {
                    let pupil = try await store.reference.requirePupil(upn)
                    let from = pupil.enrolments[0].onRollFrom
                    for session in calendar.sessions(in: DateRange(from, day("2026-03-27"))!) where random.chance(0.7) {
                        let code = codes[Int(random.next() % UInt64(codes.count))]
                        entries.append(
                            MarkEntry(
                                pupilID: pupil.id, schoolID: schoolID,
                                mark: Mark(upn: upn, session: session, code: code.code)))
                    }
                }
                try await store.registers.writeMarks(entries, by: AuditActor("test"), reason: "round \(round)")
            }
            for _ in 0..<20 {
                let start = day("2025-09-01").adding(days: Int(random.next() % 200))
                let window = DateRange(start, start.adding(days: Int(random.next() % 120)))!
                for upn in [alys, cai] {
                    let (_, fromStrings) = try await store.registers.summary(of: upn, in: window)
                    #expect(fromStrings == (try await summaryFromRows(store, upn, window)), "\(upn) \(window)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func theSchoolReportCountsOnlyDaysOnRoll(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let calendar = try await store.reference.calendar(
                for: try await store.reference.requireSchool(school).school)
            var lines: [String] = []
            for session in calendar.sessions(in: DateRange(day("2025-09-01"), day("2025-12-19"))!) {
                let code = session.half == .am ? "/" : "\\"
                for upn in [alys, bryn, cai] {
                    let pupil = try await store.reference.requirePupil(upn)
                    if pupil.enrolments[0].isOnRoll(on: session.date) {
                        lines.append(
                            "\(upn),\(session.date),\(session.half.rawValue),\(session.date.weekday == .monday ? "I" : code),"
                        )
                    }
                }
            }
            try await store.registers.importMarks(
                try ImportParser.marks(marksCSV(lines), codes: store.codes), school: school, source: "term.csv",
                authorisesAt: [school])
            let autumn = DateRange(day("2025-09-01"), day("2025-12-19"))!
            let report = try await store.registers.schoolReport(school, in: autumn)
            // Ordered by registration group, then surname.
            #expect(report.map(\.pupil.upn) == [bryn, alys, cai])
            for line in report {
                let summary = line.summary
                #expect(summary.possible == summary.attended + summary.authorised + summary.unauthorised)
                #expect(summary == (try await summaryFromRows(store, line.pupil.upn, autumn)))
            }
            // Autumn 2025: 16 weeks less half-term and one INSET day = 74 days.
            let possible = Dictionary(uniqueKeysWithValues: report.map { ($0.pupil.upn, $0.summary.possible) })
            #expect(possible[alys] == 148)
            #expect(possible[bryn]! < 148)  // Bryn left on 14 November
            #expect(possible[cai]! < 148)  // Cai joined on 6 October
            #expect(try await store.registers.schoolReport(LAESTAB(la: 665, estab: 2001), in: autumn).isEmpty)
        }
    }
}
