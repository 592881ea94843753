import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation

/// Lesson registers at the benchmark's scale (issue 38): each secondary school's timetable (six lessons a day, each
/// form a class) and the autumn term's lesson registers imported through the import's write path; then, at the
/// largest school, a day's lesson registers saved one at a time as teachers save them, and the same-day check for
/// the whole school.
enum BenchLessons {
    /// Above this many pupils the term's import is measured on the first schools only (named in the figure).
    static let wholeAuthorityUpTo = 60_000
    static let schoolsBeyondIt = 8

    static func measure(_ authority: BenchAuthority, report: inout BenchReport, store: Store) async throws {
        let year = BenchAuthority.year
        let calendar = SchoolCalendar(entries: authority.termDates)
        guard let autumn = calendar.term(containing: year.firstDay)?.range else { return }
        let termDays = calendar.schoolDays(in: autumn).count
        let until = autumn.end.adding(days: 1)
        let secondaries = authority.plans.indices.filter { authority.plans[$0].secondary }
        let measured =
            authority.pupils <= wholeAuthorityUpTo ? secondaries : Array(secondaries.prefix(schoolsBeyondIt))
        var importMS = 0.0
        var marks = 0
        var largest: (laestab: LAESTAB, day: LocalDate, registers: [(String, Int, [LessonMark])])?
        let progress = Progress()
        for index in measured {
            let data = authority.school(index)
            guard
                let timetable = DemoTimetable(
                    data, until: until, calendar: calendar, seed: authority.seed, days: termDays)
            else { continue }
            let laestab = data.school.laestab
            try await store.lessons.importTimetable(
                timetable.lessons.map { Numbered(line: 0, value: $0) },
                classes: timetable.classes.map { Numbered(line: 0, value: $0) }, school: laestab,
                cycle: timetable.cycle, by: AuditActor("bench:import"))
            let rows = timetable.registers.flatMap { register in
                register.marks.map {
                    Numbered(
                        line: 0,
                        value: ImportedLessonMark(
                            date: register.day, className: register.className, period: register.period, mark: $0,
                            takenBy: nil))
                }
            }
            importMS += try await milliseconds {
                try await store.lessons.importLessonMarks(rows, school: laestab, by: AuditActor("bench:import"))
            }
            marks += rows.count
            if largest == nil, let last = timetable.registers.map(\.day).max() {
                largest = (
                    laestab, last,
                    timetable.registers.filter { $0.day == last }.map { ($0.className, $0.period, $0.marks) }
                )
            }
            progress.say("lesson registers: \(marks) lesson marks imported")
        }
        let schools = measured.count == secondaries.count ? "every secondary" : "\(measured.count) secondaries"
        report.add("lesson marks imported (autumn term, \(schools))", Double(marks), "")
        report.add("lesson marks import throughput", Double(marks) / max(importMS, 0.001) * 1000, "marks/s")
        guard let largest else { return }
        // The largest school's same-day check on the term's last day, as the office's page asks for it.
        var concerns = 0
        let check = try await BenchQueries.best(5) {
            concerns = try await store.lessons.sameDayCheck(school: largest.laestab, on: largest.day).count
        }
        report.add("same-day check, largest school (\(concerns) pupils found)", check, "ms", atMost: 100)
        // The same day's registers saved again one at a time by their teacher, each changing one pupil's mark (a
        // change needs a reason): the save's whole path in the store, its latency per register.
        var latencies: [Double] = []
        for (className, period, registerMarks) in largest.registers.prefix(200) {
            guard let first = registerMarks.first else { continue }
            let changed = [LessonMark(upn: first.upn, code: first.code == .present ? .withStaff : .present)]
            latencies.append(
                try await milliseconds {
                    try await store.lessons.saveLessonRegister(
                        school: largest.laestab, on: largest.day, className: className, period: period,
                        marks: changed + registerMarks.dropFirst(), by: AuditActor("bench:teacher"),
                        reason: "Bench")
                })
        }
        latencies.sort()
        guard !latencies.isEmpty else { return }
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        report.add("lesson register save, one at a time, p50 (\(latencies.count) registers)", percentile(0.5), "ms")
        report.add("lesson register save, one at a time, p99", percentile(0.99), "ms")
        report.add(
            "lesson register saves per second, one at a time",
            1000 / (latencies.reduce(0, +) / Double(latencies.count)), "saves/s")
    }
}
