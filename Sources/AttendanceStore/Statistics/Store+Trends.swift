import AttendanceCore
import Foundation

/// A school's figures over a period with its week-by-week trend: each pupil's figure (the days they were on the
/// school's roll, as `schoolReport` counts them) and the weeks', read in one pass over the year strings.
public struct SchoolFigures: Sendable {
    public let school: School
    public let pupils: [PupilSummary]
    public let weeks: WeeklyTally

    /// The whole school's figure for the period.
    public func total(rules: SummaryRules) -> AttendanceSummary {
        pupils.reduce(AttendanceSummary.empty(rules: rules)) { $0 + $1.summary }
    }
}

extension RegisterRepository {
    public func schoolFigures(_ laestab: LAESTAB, in range: DateRange) async throws -> SchoolFigures {
        let school = try await store.reference.requireSchool(laestab)
        let roll = try await store.reference.roll(of: school.id, in: range)
        let years = try await yearMarks(pupils: roll.map(\.id), range: range)
        var tally = WeeklyTally(range: range)
        var order: [Int] = []
        var lines: [Int: PupilSummary] = [:]
        for entry in roll {
            var summary = AttendanceSummary.empty(rules: store.rules)
            for marks in years[entry.id] ?? [] {
                summary = summary + tally.add(marks, in: entry.onRoll, table: store.codes, rules: store.rules)
            }
            if let earlier = lines[entry.id] {
                lines[entry.id] = PupilSummary(pupil: entry.pupil, summary: earlier.summary + summary)
            } else {
                order.append(entry.id)
                lines[entry.id] = PupilSummary(pupil: entry.pupil, summary: summary)
            }
        }
        return SchoolFigures(school: school.school, pupils: order.compactMap { lines[$0] }, weeks: tally)
    }

    /// Every school's figures over a period, in LAESTAB order: the authority's dashboard. Schools are counted a
    /// few at a time, one per core: one school's year strings are read while another's are counted.
    public func everySchoolsFigures(in range: DateRange) async throws -> [SchoolFigures] {
        let schools = try await store.reference.schools().map(\.school.laestab).sorted()
        let inFlight = max(2, ProcessInfo.processInfo.activeProcessorCount)
        return try await withThrowingTaskGroup(of: (Int, SchoolFigures).self) { group in
            var result = [SchoolFigures?](repeating: nil, count: schools.count)
            var next = 0
            while next < min(inFlight, schools.count) {
                let index = next
                group.addTask { (index, try await schoolFigures(schools[index], in: range)) }
                next += 1
            }
            while let (index, figures) = try await group.next() {
                result[index] = figures
                if next < schools.count {
                    let index = next
                    group.addTask { (index, try await schoolFigures(schools[index], in: range)) }
                    next += 1
                }
            }
            return result.compactMap { $0 }
        }
    }
}
