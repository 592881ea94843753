import AttendanceCore
import AttendanceInterop
import Foundation
import Testing

@testable import AttendanceStore

/// An intervention's impact on the demo's own registers (issue 35, point 4), checked against a count of the
/// marks made here from each mark as recorded, not through the compact year strings the impact reads.
@Suite struct InterventionStoreTests {
    @Test(arguments: TestDatabase.available)
    func theImpactAgreesWithACountOfTheMarksForThePupilsAndTheSimilarPupils(_ database: TestDatabase)
        async throws
    {
        try await database.withStore { store in
            let today = day("2026-11-25")
            try await store.demo.load(
                DemoAuthority(options: .init(schools: 2, pupilsPerSchool: 300, until: today, seed: 7)))
            let school = try #require(try await store.reference.schools().first { $0.school.phase == .secondary })
            let laestab = school.school.laestab
            try await store.identity.createUser(
                email: "head@example.org", displayName: "Head", passwordHash: "x", mustChangePassword: false,
                grants: [RoleGrant(role: .headTeacher, school: laestab)], by: AuditActor("test"))
            // Four Year 9 pupils below 97% this year, and two Year 10 pupils in another intervention (who are
            // then nobody's comparison).
            let report = try await store.registers.schoolReport(laestab, in: .yearToDate(today))
            let onRoll = Set(try await store.reference.onRoll(laestab, on: today).map(\.upn))
            let below = report.filter { onRoll.contains($0.pupil.upn) && $0.summary.band != .green }
            let chosen = below.filter { $0.pupil.yearGroup == "9" }.prefix(4).map(\.pupil.upn)
            let others = below.filter { $0.pupil.yearGroup == "10" }.prefix(2).map(\.pupil.upn)
            try #require(chosen.count == 4 && others.count == 2)
            func start(_ pupils: [UPN], _ from: String) async throws -> Int {
                try await store.interventions.start(
                    try Intervention.Draft(
                        kind: .groupSupport, title: "", leader: "head@example.org", pupils: pupils,
                        start: day(from), end: nil, notes: "", today: today),
                    school: laestab, today: today, by: AuditActor("head@example.org"))
            }
            let id = try await start(chosen, "2026-11-09")
            _ = try await start(others, "2026-11-02")
            let item = try #require(try await store.interventions.intervention(id))
            #expect(item.pupils.sorted { $0.value < $1.value } == chosen.sorted { $0.value < $1.value })
            // The impact as every page computes it.
            let calendar = try await store.reference.calendar(for: school.school)
            let windows = try #require(
                InterventionImpact.windows(start: item.start, end: nil, today: today, calendar: calendar))
            #expect(windows.weeks == 3)  // the weeks of 9, 16 and 23 November, and the three school weeks before them
            let roll = try await store.registers.rollYears(laestab, year: today.academicYear)
            let untouched = Set(roll.map(\.pupil.upn)).subtracting(chosen).subtracting(others)
            let measured = InterventionImpact.measure(
                pupils: Set(chosen), roll: roll, untouched: untouched, windows: windows, targetTenths: 950,
                table: store.codes, rules: store.rules)
            // The count by hand: every recorded mark of every pupil on the roll, by its code's category, on the days
            // they were on the roll.
            struct Count: Equatable {
                var attended = 0
                var possible = 0
            }
            let spells = try await store.reference.roll(of: laestab, in: today.academicYear.range)
            func count(_ upn: UPN, _ range: DateRange) async throws -> Count {
                var total = Count()
                let onRollDays = spells.filter { $0.pupil.upn == upn }.map(\.onRoll)
                for recorded in try await store.registers.marks(of: upn, in: range)
                where onRollDays.contains(where: { $0.contains(recorded.mark.session.date) }) {
                    switch store.codes[recorded.mark.code]?.category {
                    case .present, .approvedActivity:
                        total.attended += 1
                        total.possible += 1
                    case .authorised, .unauthorised: total.possible += 1
                    default: break
                    }
                }
                return total
            }
            func band(_ count: Count) -> String? {
                guard count.possible > 0 else { return nil }
                if count.attended * 1000 >= 970 * count.possible { return "green" }
                return count.attended * 1000 >= 920 * count.possible ? "amber" : "red"
            }
            var before = Count()
            var after = Count()
            var profiles = Set<String>()
            for upn in chosen {
                let then = try await count(upn, windows.before)
                let now = try await count(upn, windows.after)
                before.attended += then.attended
                before.possible += then.possible
                after.attended += now.attended
                after.possible += now.possible
                let year = try await store.reference.requirePupil(upn).pupil.yearGroup
                if let band = band(then) { profiles.insert(year + band) }
            }
            #expect(measured.figures.before.attended == before.attended)
            #expect(measured.figures.before.possible == before.possible)
            #expect(measured.figures.after.attended == after.attended)
            #expect(measured.figures.after.possible == after.possible)
            // The similar pupils by hand: on the roll this year, in no intervention, same year and starting band.
            var similar = Count()
            var similarAfter = Count()
            var similarPupils = 0
            for upn in Set(spells.map(\.pupil.upn)) where untouched.contains(upn) {
                let then = try await count(upn, windows.before)
                let year = try await store.reference.requirePupil(upn).pupil.yearGroup
                guard let band = band(then), profiles.contains(year + band) else { continue }
                let now = try await count(upn, windows.after)
                similar.attended += then.attended
                similar.possible += then.possible
                similarAfter.attended += now.attended
                similarAfter.possible += now.possible
                similarPupils += 1
            }
            try #require(similarPupils >= InterventionImpact.comparisonMinimum, "the demo has enough similar pupils")
            let comparison = try #require(measured.comparison)
            #expect(comparison.pupils == similarPupils)
            #expect(comparison.before.attended == similar.attended && comparison.before.possible == similar.possible)
            #expect(
                comparison.after.attended == similarAfter.attended
                    && comparison.after.possible == similarAfter.possible)
        }
    }
}
