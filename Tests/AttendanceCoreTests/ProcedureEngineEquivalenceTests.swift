import Testing

@testable import AttendanceCore

/// The fast engine (slot by slot, calendar worked out once per run) must give exactly what the plain reading
/// of the policy gives, on random years of marks, days, records and Letter 3 dates.
@Suite struct ProcedureEngineEquivalenceTests {
    @Test func theFastEngineAgreesWithThePlainReadingOnRandomData() {
        var random = SplitMix64(seed: 20_261_129)
        let codes = ["/", "\\", "L", "U", "I", "M", "O", "G", "N", "H", "C", "B", "X", "#", "V", "E"]
        let fast = ProcedureEngine(policy: .wrexham2025, codes: wales)
        let plain = ReferenceProcedureEngine(policy: .wrexham2025, codes: wales)
        let year = AcademicYear(startYear: 2025)
        let sessions = autumn2025.sessions(in: range("2025-09-01", "2026-04-10"))
        var differing = 0
        var reached: [ProcedureAction: Int] = [:]
        var reachedCriteria: [String: Int] = [:]
        for trial in 0..<600 {
            var marks = YearMarks(academicYear: year)
            let absence = random.unit() * (trial % 4 == 0 ? 0.6 : 0.15)
            let start = Int(random.next() % 40)
            for session in sessions.dropFirst(start) {
                let code: String
                if random.unit() < absence {
                    code = codes[2 + Int(random.next() % UInt64(codes.count - 2))]
                } else {
                    code = session.half == .am ? "/" : "\\"
                }
                marks.set(wales[code], at: session)
            }
            // Runs of one code, so the rules about runs and holidays are reached.
            if random.chance(0.5) {
                let from = Int(random.next() % UInt64(sessions.count))
                let code = ["O", "N", "G", "I", "U", "L", "U"][Int(random.next() % 7)]
                for session in sessions[from..<min(sessions.count, from + 30)] { marks.set(wales[code], at: session) }
            }
            // Sometimes absent without a reason just before the breaks, so the pre-holiday rule is reached.
            let beforeBreaks = random.chance(0.15)
            if beforeBreaks {
                for start in autumn2025.breakStarts {
                    for day in autumn2025.schoolDays(2, before: start) {
                        marks.set(wales["O"], at: SchoolSession(day, .am))
                        marks.set(wales["O"], at: SchoolSession(day, .pm))
                    }
                }
            }
            // … and then sometimes a day in the weeks before Easter, when its letter is due.
            let asOf =
                beforeBreaks && random.chance(0.7)
                ? LocalDate(iso: "2026-03-02")!.adding(days: Int(random.next() % 26))
                : LocalDate(iso: "2025-09-01")!.adding(days: Int(random.next() % 230))
            // Sometimes absent with no reason on the last few days, so the first-day and day-3 rules are reached.
            if random.chance(0.2) {
                let recent = autumn2025.sessions(in: DateRange(asOf.adding(days: -5), asOf)!)
                for session in recent.suffix(2 + Int(random.next() % 5)) { marks.set(wales["N"], at: session) }
            }
            let letter3 = random.chance(0.5) ? asOf.adding(days: -Int(random.next() % 120)) : nil
            let compulsory = !random.chance(0.1)
            let contacted: Set<LocalDate> = random.chance(0.3) ? [asOf.adding(days: -Int(random.next() % 4))] : []
            // Sometimes seen by the police, meetings missed and calls unanswered, so the criteria beyond the
            // register are reached (some days fall on weekends, holidays or after the day: those never count).
            var evidence = PenaltyEvidence()
            if random.chance(0.4) {
                let days = { (n: Int) in (0..<n).map { _ in asOf.adding(days: -Int(random.next() % 40)) } }
                evidence = PenaltyEvidence(
                    policeDays: days(Int(random.next() % 5)), missedMeetings: days(Int(random.next() % 4)),
                    unansweredContacts: days(Int(random.next() % 6)), prosecutionBegun: random.chance(0.2))
                // Mostly truant on the days seen (a pupil seen on a day marked present does not count).
                for day in evidence.policeDays where random.chance(0.8) && autumn2025.isSchoolDay(day) {
                    marks.set(wales["O"], at: SchoolSession(day, .am))
                }
            }
            let first = plain.run(
                marks: marks, calendar: autumn2025, asOf: asOf, recorded: [], letter3Sent: letter3,
                compulsoryAge: compulsory, contacted: contacted, penaltyEvidence: evidence)
            for due in first.due { reached[due.action, default: 0] += 1 }
            let statuses: [RecordedAction.Status] = [.pending, .done, .withdrawn, .dismissed]
            var recorded = first.due.filter { _ in random.chance(0.5) }.map {
                RecordedAction(key: $0.key, action: $0.action, status: statuses[Int(random.next() % 4)])
            }
            recorded.append(
                RecordedAction(key: "letter_2/2025", action: .letter2, status: random.chance(0.5) ? .pending : .done))
            recorded.append(
                RecordedAction(key: "first_day_contact/\(asOf.iso)", action: .firstDayContact, status: .pending))
            let expected = plain.run(
                marks: marks, calendar: autumn2025, asOf: asOf, recorded: recorded, letter3Sent: letter3,
                compulsoryAge: compulsory, contacted: contacted, penaltyEvidence: evidence)
            let got = fast.run(
                marks: marks, calendar: autumn2025, asOf: asOf, recorded: recorded, letter3Sent: letter3,
                compulsoryAge: compulsory, contacted: contacted, penaltyEvidence: evidence)
            for due in got.due where due.action == .fpnEligible {
                for criterion in due.basis.split(separator: ",") { reachedCriteria[String(criterion), default: 0] += 1 }
            }
            if got != expected {
                differing += 1
                #expect(got.due.map(\.key) == expected.due.map(\.key), "trial \(trial) as of \(asOf)")
                #expect(got.due.map(\.count) == expected.due.map(\.count), "trial \(trial) as of \(asOf)")
                #expect(got.due.map(\.basis) == expected.due.map(\.basis), "trial \(trial) as of \(asOf)")
            }
        }
        #expect(differing == 0)
        // The random data must reach every rule often enough to catch an edge in it.
        for action in ProcedureAction.allCases {
            #expect(reached[action, default: 0] >= 8, "\(action) reached \(reached[action, default: 0]) times")
        }
        for criterion in PenaltyCriterion.allCases {
            #expect(reachedCriteria[criterion.rawValue, default: 0] >= 8, "\(criterion) met \(reachedCriteria)")
        }
    }
}
