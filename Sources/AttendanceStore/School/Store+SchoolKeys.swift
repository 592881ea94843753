import AttendanceCore
import Foundation

/// The roll keyed by LAESTAB: the row ids the queries use stay inside the store.
extension ReferenceRepository {
    /// Pupils on a school's roll at any time in a range, with the part of the range they were on roll; with
    /// `group`, only that registration group's.
    public func roll(
        of school: LAESTAB, in range: DateRange, group: String? = nil
    ) async throws -> [(pupil: Pupil, onRoll: DateRange)] {
        try await roll(of: try await requireSchool(school).id, in: range, group: group).map { ($0.pupil, $0.onRoll) }
    }
}

extension ReferenceRepository {
    /// The pupils on a school's roll on a day: the one meaning of "on roll" every page counts with (the home
    /// page's schools, the school page's years and forms, a form's register on that day).
    public func onRoll(_ school: LAESTAB, on date: LocalDate) async throws -> [Pupil] {
        var seen = Set<UPN>()
        return try await roll(of: school, in: DateRange(day: date)).map(\.pupil).filter {
            seen.insert($0.upn).inserted
        }
    }
}
