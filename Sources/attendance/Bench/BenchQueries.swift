import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation

/// The reads the issue sets targets for, each the best of three runs, read from the database every time.
enum BenchQueries {
    static var year: AcademicYear { BenchAuthority.year }

    /// The last school day of the benchmark year: the procedure runs "as of" it.
    static func lastDay(_ authority: BenchAuthority) -> LocalDate {
        SchoolCalendar(entries: authority.termDates).schoolDays(in: year.range).last ?? year.lastDay
    }

    static func best(_ runs: Int = 3, _ work: () async throws -> Void) async throws -> Double {
        var best = Double.infinity
        for _ in 0..<runs { best = min(best, try await milliseconds(work)) }
        return best
    }

    /// Starts 60 interventions (fewer in a small school) of four pupils each at the school, one a school week or so from September, led by
    /// a head made for the benchmark.
    static func interventions(at school: LAESTAB, store: Store, asOf: LocalDate) async throws -> Int {
        let head = "bench-head@bench.example"
        if try await store.identity.user(email: head) == nil {
            try await store.identity.createUser(
                email: head, displayName: "Bench head", passwordHash: "-", mustChangePassword: false,
                grants: [RoleGrant(role: .headTeacher, school: school)], by: AuditActor("bench"))
        }
        let roll = try await store.reference.onRoll(school, on: asOf).map(\.upn)
        let count = min(60, roll.count / 4)
        let kinds = Intervention.Kind.allCases.filter { $0 != .sanction }
        for index in 0..<count {
            let start = max(asOf.academicYear.firstDay.adding(days: 7 + index * 5), asOf.adding(days: -360))
            let draft = try Intervention.Draft(
                kind: kinds[index % kinds.count], title: "Bench \(index)", leader: head,
                pupils: Array(roll[(index * 4)..<(index * 4 + 4)]), start: min(start, asOf), end: nil, notes: "",
                today: asOf)
            try await store.interventions.start(draft, school: school, today: asOf, by: AuditActor("bench"))
        }
        return count
    }

    static func measure(_ authority: BenchAuthority, store: Store, report: inout BenchReport) async throws {
        let asOf = lastDay(authority)
        let range = DateRange.yearToDate(asOf)
        let scale = authority.pupils
        var due = 0
        let procedure = try await best {
            due = try await store.procedure.runProcedure(policy: .wrexham2025, asOf: asOf, dryRun: true).lines.count
        }
        report.add(
            "procedure run, whole authority (dry run)", procedure, "ms",
            atMost: scale >= 470_000 ? 4000 : scale >= 22_000 ? 200 : nil)
        report.add("actions due at year end", Double(due), "")
        let schools = try await store.reference.schools().map(\.school.laestab)
        var summaries = 0
        // The rolls are held in memory once read (as a server holds them): the first pass reads them, the best of
        // three after it is what a running server gives.
        let firstPass = try await milliseconds {
            for laestab in schools { summaries += try await store.registers.schoolReport(laestab, in: range).count }
        }
        report.add("every pupil's summary, whole authority, rolls not yet held", firstPass, "ms")
        let everyPupil = try await best {
            summaries = 0
            for laestab in schools { summaries += try await store.registers.schoolReport(laestab, in: range).count }
        }
        report.add("every pupil's summary, whole authority", everyPupil, "ms")
        report.add("pupil summaries computed", Double(summaries), "")
        let largest =
            try await store.reference.schools().first { $0.school.estabNumber == 4001 }?.school.laestab ?? schools[0]
        var size = 0
        let school = try await best(5) { size = try await store.registers.schoolReport(largest, in: range).count }
        report.add("whole-school report, \(size) pupils, full year", school, "ms", atMost: size >= 1500 ? 10 : nil)
        // Issue 34: a school's group analysis (every breakdown and its own groups), read from the same year records.
        let groups = try await best(5) { _ = try await store.groups.analysis(largest, in: range) }
        report.add("group analysis, \(size) pupils, full year", groups, "ms", atMost: 200)
        // Issue 35: the impact of a school's interventions as its page measures them: 60 of four pupils each,
        // started through the year, each against the similar pupils of the whole roll.
        let interventions = try await Self.interventions(at: largest, store: store, asOf: asOf)
        let stored = try await store.reference.requireSchool(largest).school
        var measuredCount = 0
        let impact = try await best(5) {
            let items = try await store.interventions.interventions(largest)
            measuredCount = try await store.interventions.impact(items, school: stored, today: asOf).count
        }
        report.add(
            "interventions' impact, \(interventions) interventions (\(measuredCount) measured), \(size) pupils",
            impact, "ms", atMost: 200)
        // The authority's dashboard: every school's pupils and weeks, their targets, each school's standing.
        var standingsMade = 0
        let dashboard = try await best {
            let figures = try await store.registers.everySchoolsFigures(in: range)
            let targets = try await store.targets.targets(for: range.end.academicYear)
            let standings = figures.map {
                SchoolStanding(
                    school: $0.school, pupils: $0.pupils.map(\.summary), weeks: $0.weeks.summaries(rules: store.rules),
                    target: targets[$0.school.laestab], rules: store.rules)
            }
            standingsMade = standings.count
        }
        report.add(
            "authority dashboard, \(standingsMade) schools' years and weeks", dashboard, "ms",
            atMost: scale >= 470_000 ? 2000 : scale >= 22_000 ? 200 : nil)
        report.procedureMS = procedure
        report.summariesMS = everyPupil
    }
}
