import AttendanceCore
import Foundation
import SQLKit

/// One pupil's line on a register: who they are and what is recorded for the session.
public struct RegisterLine: Sendable, Hashable {
    let pupilID: Int
    public let pupil: Pupil
    public let mark: RecordedMark?
}

/// The first mark of a register: who took it, and when.
public struct FirstMark: Sendable, Hashable {
    public let by: String
    public let at: Date
}

/// A registration group on a day, with whether each register has been taken.
public struct RegisterGroup: Sendable, Hashable {
    public internal(set) var group: String
    public internal(set) var yearGroups: Set<String>
    public internal(set) var onRoll: Int
    public internal(set) var markedAM: Int
    public internal(set) var markedPM: Int

    /// Who recorded the session's first mark and when (from the marks and what corrections replaced): who took
    /// the register, and whether they took it in time.
    public internal(set) var firstAM: FirstMark? = nil
    public internal(set) var firstPM: FirstMark? = nil

    public func marked(_ half: SessionHalf) -> Int { half == .am ? markedAM : markedPM }
    public func first(_ half: SessionHalf) -> FirstMark? { half == .am ? firstAM : firstPM }
    public func isTaken(_ half: SessionHalf) -> Bool { onRoll > 0 && marked(half) == onRoll }
}

extension Store {
    /// The registration groups of a school on a day, with how many pupils have a mark for each session.
    func registerGroups(schoolID: Int, on date: LocalDate) async throws -> [RegisterGroup] {
        let roll = try await roll(of: schoolID, in: DateRange(date, date)!)
        var marked: [Int: Set<SessionHalf>] = [:]
        var first: [Int: [SessionHalf: FirstMark]] = [:]
        for recording in try await recordings(schoolID: schoolID, in: DateRange(date, date)!) {
            let half = recording.session.half
            if recording.current { marked[recording.pupilID, default: []].insert(half) }
            if first[recording.pupilID]?[half].map({ recording.mark.at < $0.at }) ?? true {
                first[recording.pupilID, default: [:]][half] = recording.mark
            }
        }
        var order: [String] = []
        var groups: [String: RegisterGroup] = [:]
        func earlier(_ a: FirstMark?, _ b: FirstMark?) -> FirstMark? {
            guard let a, let b else { return a ?? b }
            return a.at <= b.at ? a : b
        }
        for entry in roll {
            let name = entry.pupil.registrationGroup
            if groups[name] == nil {
                order.append(name)
                groups[name] = RegisterGroup(group: name, yearGroups: [], onRoll: 0, markedAM: 0, markedPM: 0)
            }
            groups[name]!.yearGroups.insert(entry.pupil.yearGroup)
            groups[name]!.onRoll += 1
            if marked[entry.id]?.contains(.am) == true { groups[name]!.markedAM += 1 }
            if marked[entry.id]?.contains(.pm) == true { groups[name]!.markedPM += 1 }
            groups[name]!.firstAM = earlier(groups[name]!.firstAM, first[entry.id]?[.am])
            groups[name]!.firstPM = earlier(groups[name]!.firstPM, first[entry.id]?[.pm])
        }
        return order.map { groups[$0]! }
    }

    /// The year groups of the pupils on a group's roll on a day (for the authorisation policy).
    func yearGroups(schoolID: Int, group: String, on date: LocalDate) async throws -> Set<String> {
        Set(
            try await roll(of: schoolID, in: DateRange(date, date)!, group: group).map(\.pupil.yearGroup))
    }

    /// The register of a group for one session: every pupil on roll that day, with their mark if any.
    func registerLines(schoolID: Int, group: String, session: SchoolSession) async throws -> [RegisterLine] {
        let pupils = try await roll(of: schoolID, in: DateRange(session.date, session.date)!, group: group)
        guard !pupils.isEmpty else { return [] }
        let rows = try await reader.raw(
            """
            SELECT pupil_id, code, minutes_late, note, recorded_by, recorded_at FROM marks
            WHERE pupil_id IN (\(binds: pupils.map(\.id))) AND date = \(bind: session.date.iso)
            AND session = \(bind: session.half.rawValue)
            """
        ).all()
        var marks: [Int: RecordedMark] = [:]
        let upns = Dictionary(uniqueKeysWithValues: pupils.map { ($0.id, $0.pupil.upn) })
        for row in rows {
            let pupilID = try row.decode(column: "pupil_id", as: Int.self)
            marks[pupilID] = RecordedMark(
                mark: Mark(
                    upn: upns[pupilID]!, session: session, code: try row.decode(column: "code", as: String.self),
                    minutesLate: try row.decode(column: "minutes_late", as: Int?.self),
                    note: try row.decode(column: "note", as: String?.self)),
                recordedBy: try row.decode(column: "recorded_by", as: String.self),
                recordedAt: Self.date(fromTimestamp: try row.decode(column: "recorded_at", as: String.self)))
        }
        return pupils.map { RegisterLine(pupilID: $0.id, pupil: $0.pupil, mark: marks[$0.id]) }
    }

    /// Every mark of a group over a range, by pupil, for the printed register.
    func groupMarks(
        schoolID: Int, group: String, in range: DateRange
    ) async throws -> [(pupil: Pupil, onRoll: DateRange, marks: [SchoolSession: String], amended: Set<SchoolSession>)] {
        let pupils = try await roll(of: schoolID, in: range, group: group)
        guard !pupils.isEmpty else { return [] }
        let ids = pupils.map(\.id)
        var marks: [Int: [SchoolSession: String]] = [:]
        var amended: [Int: Set<SchoolSession>] = [:]
        for (table, column) in [("marks", "code"), ("mark_amendments", "new_code")] {
            let rows = try await sql.raw(
                """
                SELECT pupil_id, date, session, \(ident: column) AS code FROM \(ident: table)
                WHERE pupil_id IN (\(binds: ids)) AND date >= \(bind: range.start.iso) AND date <= \(bind: range.end.iso)
                """
            ).all()
            for row in rows {
                guard let date = LocalDate(iso: try row.decode(column: "date", as: String.self)),
                    let half = SessionHalf(text: try row.decode(column: "session", as: String.self))
                else { continue }
                let pupilID = try row.decode(column: "pupil_id", as: Int.self)
                if table == "marks" {
                    marks[pupilID, default: [:]][SchoolSession(date, half)] = try row.decode(
                        column: "code", as: String.self)
                } else {
                    amended[pupilID, default: []].insert(SchoolSession(date, half))
                }
            }
        }
        return pupils.map { ($0.pupil, $0.onRoll, marks[$0.id] ?? [:], amended[$0.id] ?? []) }
    }

    /// Form tutors by registration group at a school (for "missing marks: who is to take it").
    public func formTutors(of laestab: LAESTAB) async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for user in try await users() {
            for grant in user.grants where grant.role == .formTutor && grant.school == laestab {
                for group in grant.registrationGroups { result[group, default: []].append(user.displayName) }
            }
        }
        return result
    }

    /// Pupils at a school with a given kind of mark on a day (e.g. no reason yet), for first-day contact.
    func pupils(
        withMeaning meaning: CodeMeaning, schoolID: Int, on date: LocalDate
    ) async throws -> [(pupil: Pupil, sessions: [SessionHalf])] {
        let codes = self.codes.codes.filter { $0.means(meaning) }.map(\.code)
        guard !codes.isEmpty else { return [] }
        let rows = try await sql.raw(
            """
            SELECT p.*, m.session AS mark_session FROM marks m JOIN pupils p ON p.id = m.pupil_id
            WHERE m.school_id = \(bind: schoolID) AND m.date = \(bind: date.iso) AND m.code IN (\(binds: codes))
            ORDER BY p.registration_group, p.legal_surname, p.legal_forename, m.session
            """
        ).all()
        var order: [UPN] = []
        var found: [UPN: (pupil: Pupil, sessions: [SessionHalf])] = [:]
        for row in rows {
            let pupil = try Self.pupil(from: row)
            guard let half = SessionHalf(text: try row.decode(column: "mark_session", as: String.self)) else {
                continue
            }
            if found[pupil.upn] == nil {
                order.append(pupil.upn)
                found[pupil.upn] = (pupil, [])
            }
            found[pupil.upn]!.sessions.append(half)
        }
        return order.map { found[$0]! }
    }
}

/// A pupil's late arrival as the register holds it.
public struct LateArrival: Sendable, Hashable {
    public let pupil: Pupil
    public let session: SchoolSession
    public let code: String
    public let minutesLate: Int
    public let recordedBy: String
}

extension Store {
    /// The late arrivals recorded at a school on a day, morning first, then by minutes late.
    public func lateArrivals(_ school: LAESTAB, on date: LocalDate) async throws -> [LateArrival] {
        let id = try await requireSchool(school).id
        return try await sql.raw(
            """
            SELECT p.*, m.session, m.code, m.minutes_late, m.recorded_by FROM marks m JOIN pupils p ON p.id = m.pupil_id
            WHERE m.school_id = \(bind: id) AND m.date = \(bind: date.iso) AND m.minutes_late IS NOT NULL
            """
        ).all().compactMap { row -> LateArrival? in
            guard let half = SessionHalf(text: try row.decode(column: "session", as: String.self)) else { return nil }
            return LateArrival(
                pupil: try Self.pupil(from: row), session: SchoolSession(date, half),
                code: try row.decode(column: "code", as: String.self),
                minutesLate: try row.decode(column: "minutes_late", as: Int.self),
                recordedBy: try row.decode(column: "recorded_by", as: String.self))
        }.sorted { ($0.session.half == .am ? 0 : 1, $0.minutesLate) < ($1.session.half == .am ? 0 : 1, $1.minutesLate) }
    }
}

extension Store {
    /// Who took each of a form's registers over a range, and when: the first mark recorded for any pupil of the
    /// form in each session (corrections' first recordings included).
    public func registerTakers(
        school laestab: LAESTAB, group: String, in range: DateRange
    ) async throws -> [SchoolSession: FirstMark] {
        let school = try await requireSchool(laestab)
        let pupils = try await roll(of: school.id, in: range, group: group).map(\.id)
        guard !pupils.isEmpty else { return [:] }
        var first: [SchoolSession: FirstMark] = [:]
        for recording in try await recordings(schoolID: school.id, in: range, pupils: pupils)
        where first[recording.session].map({ recording.mark.at < $0.at }) ?? true {
            first[recording.session] = recording.mark
        }
        return first
    }
}

extension Store {
    /// Every mark recorded at a school over the days (for these pupils only, if given), and the first recording
    /// of each mark a correction replaced: who recorded it and when, and whether it is the mark in force. What
    /// "who took the register, and when" is read from.
    func recordings(
        schoolID: Int, in range: DateRange, pupils: [Int]? = nil
    ) async throws -> [(pupilID: Int, session: SchoolSession, mark: FirstMark, current: Bool)] {
        let only: SQLQueryString = pupils.map { " AND pupil_id IN (\(binds: $0))" } ?? ""
        let days: SQLQueryString =
            "school_id = \(bind: schoolID) AND date >= \(bind: range.start.iso) AND date <= \(bind: range.end.iso)"
        let query: SQLQueryString =
            "SELECT pupil_id, date, session, recorded_by AS who, recorded_at AS happened, 1 AS current FROM marks WHERE "
            + days + only
            + " UNION ALL SELECT pupil_id, date, session, old_recorded_by, old_recorded_at, 0 FROM mark_amendments WHERE "
            + days + only
        return try await sql.raw(query).all().compactMap { row in
            guard let date = LocalDate(iso: try row.decode(column: "date", as: String.self)),
                let half = SessionHalf(text: try row.decode(column: "session", as: String.self))
            else { return nil }
            return (
                try row.decode(column: "pupil_id", as: Int.self), SchoolSession(date, half),
                FirstMark(
                    by: try row.decode(column: "who", as: String.self),
                    at: Self.date(fromTimestamp: try row.decode(column: "happened", as: String.self))),
                try row.decode(column: "current", as: Int.self) == 1
            )
        }
    }
}
