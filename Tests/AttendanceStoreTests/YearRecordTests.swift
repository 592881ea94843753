import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

/// The record is a year of codes per pupil, a year of recorders, sparse details and the amendments. These tests
/// make random saves and corrections and hold the record against what the test itself kept of them.
@Suite struct YearRecordTests {
    /// A register cell as a page shows it.
    struct Cell: Hashable, CustomStringConvertible {
        let code: String
        let minutesLate: Int?
        let note: String?
        let by: String
        let at: Date

        var description: String { "\(code) \(minutesLate.map(String.init) ?? "-") \(note ?? "-") \(by) \(at)" }
    }

    struct CellKey: Hashable {
        let upn: UPN
        let session: SchoolSession
    }

    /// A small seeded generator (xorshift64*), so that a failing sequence can be run again.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
    }

    /// Form 7A at the fixture's school with ten pupils, and the sessions the random edits fall on: three weeks
    /// of the autumn term and a day of the next school year (a second year string).
    struct Scene {
        let store: Store
        let schoolID: Int
        let pupils: [UPN]
        let sessions: [SchoolSession]
        let calendar: SchoolCalendar
    }

    func scene(_ store: Store) async throws -> Scene {
        try await loadFixture(store)
        let extra = (10..<18).map { UPN.make(la: 665, estab: 4001, year: 25, serial: $0) }
        let csv =
            "upn,surname,forename,dob,sex,year_group,registration_group,fsm,lac,on_roll_from,on_roll_to\n"
            + extra.enumerated().map { "\($1),Pupil\($0),Test,2014-02-0\($0 + 1),F,7,7A,N,N,2025-09-01," }
            .joined(separator: "\n")
        try await store.reference.importPupils(try ImportParser.pupils(csv), school: school)
        let stored = try await store.reference.requireSchool(school)
        let calendar = try await store.reference.calendar(for: stored.school)
        let sessions =
            calendar.sessions(in: DateRange(day("2025-10-06"), day("2025-10-24"))!)
            + [SchoolSession(day("2026-09-07"), .am), SchoolSession(day("2026-09-07"), .pm)]
        return Scene(
            store: store, schoolID: stored.id, pupils: [alys] + extra, sessions: sessions, calendar: calendar)
    }

    /// What the test keeps of its own saves: every cell as last written, and which cells were corrected.
    struct Model {
        var cells: [CellKey: Cell] = [:]
        var amended = Set<CellKey>()
        var corrections = 0
    }

    /// One random save of one to six cells, by one of three people, always with a reason (so none is refused);
    /// absences are likelier than presence, so the procedure has something to find.
    func randomSave(
        _ scene: Scene, number: Int, at: Date, model: inout Model, random: inout Seeded
    ) async throws {
        let codes = ["/", "\\", "L", "U", "N", "O", "O", "O", "I", "M", "C", "N"]
        var keys = Set<CellKey>()
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            keys.insert(
                CellKey(
                    upn: scene.pupils.randomElement(using: &random)!,
                    session: scene.sessions.randomElement(using: &random)!))
        }
        let who = "user:\(number % 3)"
        var marks: [SchoolMark] = []
        for key in keys.sorted(by: { ($0.upn.value, $0.session) < ($1.upn.value, $1.session) }) {
            let code = codes.randomElement(using: &random)!
            let minutes = "LU".contains(code) ? Int.random(in: 1...50, using: &random) : nil
            let note = Bool.random(using: &random) && Bool.random(using: &random) ? "note \(number)" : nil
            marks.append(
                SchoolMark(
                    school: school,
                    mark: Mark(upn: key.upn, session: key.session, code: code, minutesLate: minutes, note: note)))
            if let old = model.cells[key] {
                if old.code == code && old.minutesLate == minutes && old.note == note { continue }
                model.amended.insert(key)
                model.corrections += 1
            }
            model.cells[key] = Cell(code: code, minutesLate: minutes, note: note, by: who, at: at)
        }
        try await scene.store.registers.writeMarks(marks, by: AuditActor(who), reason: "correction \(number)", at: at)
    }

    /// Every register of the scene as the register pages read it now.
    func registers(_ scene: Scene) async throws -> [CellKey: Cell] {
        var cells: [CellKey: Cell] = [:]
        for session in scene.sessions {
            for line in try await scene.store.registers.registerLines(
                schoolID: scene.schoolID, group: "7A", session: session)
            {
                guard let mark = line.mark else { continue }
                cells[CellKey(upn: line.pupil.upn, session: session)] = Cell(
                    code: mark.mark.code, minutesLate: mark.mark.minutesLate, note: mark.mark.note, by: mark.recordedBy,
                    at: mark.recordedAt)
            }
        }
        return cells
    }

    @Test(arguments: TestDatabase.available)
    func everyPastRegisterIsRebuiltFromTheRecordAndItsAmendments(database: TestDatabase) async throws {
        try await database.withStore { store in
            let scene = try await scene(store)
            var random = Seeded(state: 0x5EED_2026)
            var model = Model()
            var saved: [(at: Date, cells: [CellKey: Cell])] = []
            for number in 0..<60 {
                // Whole seconds apart: the stored times are to the millisecond.
                let at = Date(timeIntervalSince1970: 1_760_000_000 + Double(number) * 90)
                try await randomSave(scene, number: number, at: at, model: &model, random: &random)
                let now = try await registers(scene)
                #expect(now == model.cells, "after save \(number)")
                saved.append((at, now))
            }
            // The legal history, as stored.
            let history = try await store.sql.raw(
                """
                SELECT p.upn, a.date, a.session, a.old_code, a.old_minutes_late, a.old_note, a.old_recorded_by,
                a.old_recorded_at, a.changed_at FROM mark_amendments a JOIN pupils p ON p.id = a.pupil_id ORDER BY a.id
                """
            ).all()
            #expect(history.count == model.corrections && model.corrections > 0)
            let current = try await registers(scene)
            for (at, cells) in saved {
                // Undo every correction made after the moment, newest first; then drop what was first written later.
                var rebuilt = current
                for row in history.reversed() {
                    let changed = Store.date(fromTimestamp: try row.decode(column: "changed_at", as: String.self))
                    guard changed > at else { continue }
                    let key = CellKey(
                        upn: try UPN(try row.decode(column: "upn", as: String.self)),
                        session: SchoolSession(
                            day(try row.decode(column: "date", as: String.self)),
                            SessionHalf(text: try row.decode(column: "session", as: String.self))!))
                    rebuilt[key] = Cell(
                        code: try row.decode(column: "old_code", as: String.self),
                        minutesLate: try row.decode(column: "old_minutes_late", as: Int?.self),
                        note: try row.decode(column: "old_note", as: String?.self),
                        by: try row.decode(column: "old_recorded_by", as: String.self),
                        at: Store.date(fromTimestamp: try row.decode(column: "old_recorded_at", as: String.self)))
                }
                rebuilt = rebuilt.filter { $0.value.at <= at }
                #expect(rebuilt == cells, "the registers as they stood at \(at)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func summariesTheProcedureAndThePrintedRegisterAgreeWithTheTestsOwnCount(database: TestDatabase) async throws {
        try await database.withStore { store in
            let scene = try await scene(store)
            var random = Seeded(state: 0xA77E_4DA2)
            var model = Model()
            for number in 0..<120 {
                try await randomSave(
                    scene, number: number, at: Date(timeIntervalSince1970: 1_760_000_000 + Double(number) * 60),
                    model: &model, random: &random)
            }
            let term = DateRange(day("2025-09-01"), day("2026-09-30"))!
            // Summaries: the codes the test wrote, counted by the core's one summary rule.
            for upn in scene.pupils {
                let written = model.cells.filter { $0.key.upn == upn }.map { store.codes[$0.value.code]! }
                let (_, summary) = try await store.registers.summary(of: upn, in: term)
                #expect(summary == AttendanceSummary(codes: written, rules: store.rules), "\(upn)")
            }
            // The printed register: every code, and which were corrected.
            let printed = try await store.registers.groupMarks(schoolID: scene.schoolID, group: "7A", in: term)
            var codes: [CellKey: String] = [:]
            var amended = Set<CellKey>()
            for line in printed {
                for (session, code) in line.marks { codes[CellKey(upn: line.pupil.upn, session: session)] = code }
                for session in line.amended { amended.insert(CellKey(upn: line.pupil.upn, session: session)) }
            }
            #expect(codes == model.cells.mapValues(\.code))
            #expect(amended == model.amended)
            // The procedure's due actions: the engine run on year strings the test builds from its own cells.
            let asOf = day("2025-10-24")
            let run = try await store.procedure.runProcedure(
                policy: .wrexham2025, asOf: asOf, school: school, dryRun: true)
            let engine = ProcedureEngine(policy: .wrexham2025, codes: store.codes)
            var expected = Set<String>()
            for upn in scene.pupils {
                var year = YearMarks(academicYear: asOf.academicYear)
                for (key, cell) in model.cells
                where key.upn == upn && key.session.date.academicYear == asOf.academicYear {
                    year.set(store.codes[cell.code], at: key.session)
                }
                for due in engine.run(marks: year, calendar: scene.calendar, asOf: asOf, recorded: []).due {
                    expected.insert("\(upn) \(due.action) \(due.key)")
                }
            }
            #expect(!expected.isEmpty)
            #expect(
                Set(
                    run.lines.filter { scene.pupils.contains($0.upn) }.map {
                        "\($0.upn) \($0.due.action) \($0.due.key)"
                    }) == expected)
        }
    }

    /// A database of the version before the year became the record: its mark rows (and the year strings written
    /// beside them) become the new record, and every reader finds what the rows held.
    @Test(arguments: TestDatabase.available)
    func markRowsOfTheEarlierLayoutAreCarriedOver(database: TestDatabase) async throws {
        try await database.withStore(migrated: false) { store in
            // Every migration before M0038, the one that made the year the record (M0001 to M0037).
            try await store.migrate(Array(AllMigrations.list.prefix(37)))
            try await loadFixture(store)
            let stored = try await store.reference.requireSchool(school)
            let pupil = try await store.reference.requirePupil(alys)
            // As the earlier version wrote them: one row a mark, and the year string beside them.
            let rows: [(String, String, String, Int?, String?, String, String)] = [
                ("2025-10-06", "AM", "/", nil, nil, "user:tutor", "2025-10-06T08:52:10.000Z"),
                ("2025-10-06", "PM", "L", 12, "bus late", "user:office", "2025-10-06T13:50:00.000Z"),
                ("2025-10-07", "AM", "I", nil, nil, "user:office", "2025-10-07T10:00:00.000Z"),
            ]
            var year = YearMarks(academicYear: day("2025-10-06").academicYear)
            for (date, half, code, minutes, note, by, at) in rows {
                try await store.sql.raw(
                    """
                    INSERT INTO marks (pupil_id, school_id, date, session, code, minutes_late, note, recorded_by,
                    recorded_at) VALUES (\(bind: pupil.id), \(bind: stored.id), \(bind: date), \(bind: half),
                    \(bind: code), \(bind: minutes), \(bind: note), \(bind: by), \(bind: at))
                    """
                ).run()
                year.set(store.codes[code], at: SchoolSession(day(date), SessionHalf(text: half)!))
            }
            try await store.sql.raw(
                """
                INSERT INTO pupil_year_marks (pupil_id, academic_year, marks)
                VALUES (\(bind: pupil.id), 2025, \(bind: Data(year.bytes)))
                """
            ).run()

            try await store.migrate()
            let marks = try await store.registers.marks(of: alys, in: DateRange(day("2025-10-01"), day("2025-10-31"))!)
            #expect(
                marks.map {
                    "\($0.mark.session) \($0.mark.code) \($0.mark.minutesLate ?? 0) \($0.mark.note ?? "-") \($0.recordedBy)"
                }
                    == [
                        "2025-10-06 AM / 0 - user:tutor", "2025-10-06 PM L 12 bus late user:office",
                        "2025-10-07 AM I 0 - user:office",
                    ])
            #expect(marks.map(\.recordedAt) == rows.map { Store.date(fromTimestamp: $0.6) })
            let late = try await store.registers.lateArrivals(school, on: day("2025-10-06"))
            #expect(late.map { "\($0.pupil.upn) \($0.minutesLate) \($0.recordedBy)" } == ["\(alys) 12 user:office"])
            let takers = try await store.registers.registerTakers(
                school: school, group: "7A", in: DateRange(day("2025-10-06"), day("2025-10-07"))!)
            #expect(takers[SchoolSession(day("2025-10-06"), .am)]?.by == "user:tutor")
            #expect(try await countMarks(store) == 3)
            #expect(try await count(store, "register_recordings") == 3)
            // A correction after the carry-over keeps the carried-over entry as the original.
            try await store.registers.writeMarks(
                [
                    SchoolMark(
                        school: school, mark: Mark(upn: alys, session: SchoolSession(day("2025-10-07"), .am), code: "M")
                    )
                ],
                by: AuditActor("user:office"), reason: "appointment letter")
            let history = try await store.registers.amendments(of: alys)
            #expect(
                history.map { "\($0.oldCode ?? "-") \($0.oldRecordedBy ?? "-") \($0.newCode)" } == ["I user:office M"])
        }
    }

    /// A write's marks are planned pupil by pupil: runs of one pupil are put in pupil order, each pupil's marks kept
    /// in the order given.
    @Test func entriesArePutInPupilOrderKeepingEachPupilsOwnOrder() {
        let entries = [(3, "a"), (3, "b"), (1, "c"), (1, "d"), (3, "e"), (2, "f")].map { pupil, note in
            MarkEntry(
                pupilID: pupil, schoolID: 1,
                mark: Mark(upn: alys, session: SchoolSession(day("2025-10-06"), .am), code: "/", note: note))
        }
        #expect(RegisterRepository.inPupilOrder(entries).map(\.mark.note) == ["c", "d", "f", "a", "b", "e"])
        #expect(RegisterRepository.inPupilOrder(Array(entries[2...3])).map(\.mark.note) == ["c", "d"])
        #expect(RegisterRepository.inPupilOrder([]).isEmpty)
        #expect(
            RegisterRepository.wholePupils(RegisterRepository.inPupilOrder(entries), perChunk: 2).map {
                $0.map(\.mark.note)
            } == [
                ["c", "d", "f"], ["a", "b", "e"],
            ])
    }
}
