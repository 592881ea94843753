import AttendanceCore
import Foundation

/// The store's edge for a school's registers, keyed by LAESTAB: the row ids the queries use stay inside the store.
extension RegisterRepository {
    public func registerGroups(school: LAESTAB, on date: LocalDate) async throws -> [RegisterGroup] {
        try await registerGroups(schoolID: try await store.reference.requireSchool(school).id, on: date)
    }

    public func yearGroups(school: LAESTAB, group: String, on date: LocalDate) async throws -> Set<String> {
        try await yearGroups(schoolID: try await store.reference.requireSchool(school).id, group: group, on: date)
    }

    public func registerLines(school: LAESTAB, group: String, session: SchoolSession) async throws -> [RegisterLine] {
        try await registerLines(
            schoolID: try await store.reference.requireSchool(school).id, group: group, session: session)
    }

    public func groupMarks(
        school: LAESTAB, group: String, in range: DateRange
    ) async throws -> [(pupil: Pupil, onRoll: DateRange, marks: [SchoolSession: String], amended: Set<SchoolSession>)] {
        try await groupMarks(schoolID: try await store.reference.requireSchool(school).id, group: group, in: range)
    }
}

extension RegisterRepository {
    public func pupils(
        withMeaning meaning: CodeMeaning, school: LAESTAB, on date: LocalDate
    ) async throws -> [(pupil: Pupil, sessions: [SessionHalf])] {
        try await pupils(withMeaning: meaning, schoolID: try await store.reference.requireSchool(school).id, on: date)
    }
}
