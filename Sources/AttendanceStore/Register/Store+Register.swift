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

extension RegisterRepository {
    /// The registration groups of a school on a day, with how many pupils have a mark for each session.
    func registerGroups(schoolID: Int, on date: LocalDate) async throws -> [RegisterGroup] {
        let roll = try await store.reference.roll(of: schoolID, in: DateRange(day: date))
        var marked: [Int: Set<SessionHalf>] = [:]
        var first: [Int: [SessionHalf: FirstMark]] = [:]
        for recording in try await recordings(schoolID: schoolID, in: DateRange(day: date)) {
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
            if groups[name] == nil { order.append(name) }
            var group =
                groups[name] ?? RegisterGroup(group: name, yearGroups: [], onRoll: 0, markedAM: 0, markedPM: 0)
            group.yearGroups.insert(entry.pupil.yearGroup)
            group.onRoll += 1
            if marked[entry.id]?.contains(.am) == true { group.markedAM += 1 }
            if marked[entry.id]?.contains(.pm) == true { group.markedPM += 1 }
            group.firstAM = earlier(group.firstAM, first[entry.id]?[.am])
            group.firstPM = earlier(group.firstPM, first[entry.id]?[.pm])
            groups[name] = group
        }
        return order.compactMap { groups[$0] }
    }

    /// The year groups of the pupils on a group's roll on a day (for the authorisation policy).
    func yearGroups(schoolID: Int, group: String, on date: LocalDate) async throws -> Set<String> {
        Set(
            try await store.reference.roll(of: schoolID, in: DateRange(day: date), group: group).map(\.pupil.yearGroup))
    }

    /// The register of a group for one session: every pupil on roll that day, with their mark if any.
    func registerLines(schoolID: Int, group: String, session: SchoolSession) async throws -> [RegisterLine] {
        let pupils = try await store.reference.roll(of: schoolID, in: DateRange(day: session.date), group: group)
        guard !pupils.isEmpty else { return [] }
        let upns = Dictionary(pupils.map { ($0.id, $0.pupil.upn) }) { first, _ in first }
        var marks: [Int: RecordedMark] = [:]
        for entry in try await store.recordedMarks(pupils: pupils.map(\.id), in: DateRange(day: session.date))
        where entry.session == session {
            guard let upn = upns[entry.pupilID] else { continue }  // the marks read are these pupils' own
            marks[entry.pupilID] = entry.recordedMark(upn: upn)
        }
        return pupils.map { RegisterLine(pupilID: $0.id, pupil: $0.pupil, mark: marks[$0.id]) }
    }

    /// Every mark of a group over a range, by pupil, for the printed register.
    func groupMarks(
        schoolID: Int, group: String, in range: DateRange
    ) async throws -> [(pupil: Pupil, onRoll: DateRange, marks: [SchoolSession: String], amended: Set<SchoolSession>)] {
        let pupils = try await store.reference.roll(of: schoolID, in: range, group: group)
        guard !pupils.isEmpty else { return [] }
        let ids = pupils.map(\.id)
        var marks: [Int: [SchoolSession: String]] = [:]
        var amended: [Int: Set<SchoolSession>] = [:]
        for entry in try await store.recordedMarks(pupils: ids, in: range) {
            marks[entry.pupilID, default: [:]][entry.session] = entry.code
        }
        let rows = try await store.sql.raw(
            """
            SELECT pupil_id, date, session FROM mark_amendments
            WHERE pupil_id IN (\(binds: ids)) AND date >= \(bind: range.start.iso) AND date <= \(bind: range.end.iso)
            """
        ).all()
        for row in rows {
            guard let date = LocalDate(iso: try row.decode(column: "date", as: String.self)),
                let half = SessionHalf(text: try row.decode(column: "session", as: String.self))
            else { continue }
            amended[try row.decode(column: "pupil_id", as: Int.self), default: []].insert(SchoolSession(date, half))
        }
        return pupils.map { ($0.pupil, $0.onRoll, marks[$0.id] ?? [:], amended[$0.id] ?? []) }
    }

    /// Form tutors by registration group at a school (for "missing marks: who is to take it").
    public func formTutors(of laestab: LAESTAB) async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for user in try await store.identity.users() {
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
        let codes = store.codes.codes.filter { $0.means(meaning) }.map(\.code)
        guard !codes.isEmpty else { return [] }
        let day = DateRange(day: date)
        let roll = try await store.reference.roll(of: schoolID, in: day)
        let pupils = Dictionary(roll.map { ($0.id, $0.pupil) }) { first, _ in first }
        var found: [Int: (pupil: Pupil, sessions: [SessionHalf])] = [:]
        for entry in try await store.recordedMarks(pupils: Array(pupils.keys), in: day)
        where entry.recorder.schoolID == schoolID && codes.contains(entry.code) {
            guard let pupil = pupils[entry.pupilID] else { continue }  // the marks read are these pupils' own
            found[entry.pupilID, default: (pupil, [])].sessions.append(entry.session.half)
        }
        // The order of the registers: form as people read them (7A before 10A), then surname and forename
        // (compared as stored, byte by byte).
        return found.values.sorted { a, b in
            let (x, y) = (a.pupil.registrationGroup, b.pupil.registrationGroup)
            if x != y { return NaturalOrder.precedes(x, y) }
            for (x, y) in [
                (a.pupil.legalSurname, b.pupil.legalSurname), (a.pupil.legalForename, b.pupil.legalForename),
            ]
            where x != y {
                return x.utf8.lexicographicallyPrecedes(y.utf8)
            }
            return false
        }
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

extension RegisterRepository {
    /// The late arrivals recorded at a school on a day, morning first, then by minutes late.
    public func lateArrivals(_ school: LAESTAB, on date: LocalDate) async throws -> [LateArrival] {
        let id = try await store.reference.requireSchool(school).id
        let late = try await store.sql.raw(
            """
            SELECT DISTINCT pupil_id FROM mark_details
            WHERE school_id = \(bind: id) AND date = \(bind: date.iso) AND minutes_late IS NOT NULL
            """
        ).all().map { try $0.decode(column: "pupil_id", as: Int.self) }
        let pupils = try await store.reference.pupils(ids: late)
        return try await store.recordedMarks(pupils: late, in: DateRange(day: date)).compactMap {
            entry -> LateArrival? in
            guard entry.recorder.schoolID == id, let minutes = entry.minutesLate, let pupil = pupils[entry.pupilID]
            else { return nil }
            return LateArrival(
                pupil: pupil, session: entry.session, code: entry.code, minutesLate: minutes,
                recordedBy: entry.recorder.by)
        }.sorted { ($0.session.half == .am ? 0 : 1, $0.minutesLate) < ($1.session.half == .am ? 0 : 1, $1.minutesLate) }
    }
}

extension RegisterRepository {
    /// Who took each of a form's registers over a range, and when: the first mark recorded for any pupil of the
    /// form in each session (corrections' first recordings included).
    public func registerTakers(
        school laestab: LAESTAB, group: String, in range: DateRange
    ) async throws -> [SchoolSession: FirstMark] {
        let school = try await store.reference.requireSchool(laestab)
        let pupils = try await store.reference.roll(of: school.id, in: range, group: group).map(\.id)
        guard !pupils.isEmpty else { return [:] }
        var first: [SchoolSession: FirstMark] = [:]
        for recording in try await recordings(schoolID: school.id, in: range, pupils: pupils)
        where first[recording.session].map({ recording.mark.at < $0.at }) ?? true {
            first[recording.session] = recording.mark
        }
        return first
    }
}

extension RegisterRepository {
    /// Every mark recorded at a school over the days (for these pupils only, if given), and the first recording
    /// of each mark a correction replaced: who recorded it and when, and whether it is the mark in force. What
    /// "who took the register, and when" is read from.
    func recordings(
        schoolID: Int, in range: DateRange, pupils: [Int]? = nil
    ) async throws -> [(pupilID: Int, session: SchoolSession, mark: FirstMark, current: Bool)] {
        var ids = pupils ?? []
        if pupils == nil {
            var seen = Set<Int>()
            ids = try await store.reference.roll(of: schoolID, in: range).map(\.id).filter { seen.insert($0).inserted }
        }
        var found: [(pupilID: Int, session: SchoolSession, mark: FirstMark, current: Bool)] = []
        for entry in try await store.recordedMarks(pupils: ids, in: range) where entry.recorder.schoolID == schoolID {
            found.append(
                (
                    entry.pupilID, entry.session,
                    FirstMark(by: entry.recorder.by, at: Store.date(fromTimestamp: entry.recorder.at)), true
                ))
        }
        let only: SQLQueryString = pupils.map { " AND pupil_id IN (\(binds: $0))" } ?? ""
        let query: SQLQueryString =
            """
            SELECT pupil_id, date, session, old_recorded_by AS who, old_recorded_at AS happened FROM mark_amendments
            WHERE school_id = \(bind: schoolID) AND date >= \(bind: range.start.iso) AND date <= \(bind: range.end.iso)
            """ + only
        return try await store.sql.raw(query).all().compactMap { row in
            guard let date = LocalDate(iso: try row.decode(column: "date", as: String.self)),
                let half = SessionHalf(text: try row.decode(column: "session", as: String.self))
            else { return nil }
            return (
                try row.decode(column: "pupil_id", as: Int.self), SchoolSession(date, half),
                FirstMark(
                    by: try row.decode(column: "who", as: String.self),
                    at: Store.date(fromTimestamp: try row.decode(column: "happened", as: String.self))),
                false
            )
        } + found
    }
}
