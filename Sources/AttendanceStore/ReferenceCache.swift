import AttendanceCore
import Foundation
import SQLKit
import Synchronization

/// The schools, their calendars and their rolls, held in memory: every request asks for its school, a register
/// save asks for it several times, and registers and reports start from the roll. Writes in this process clear it
/// at once; a change by another process (an import from the command line while the server runs) is seen within a
/// second, through `reference_version`, which every write to schools, calendars, pupils and enrolments moves.
final class ReferenceCache: Sendable {
    struct Snapshot: Sendable {
        var version: Int
        var checked: ContinuousClock.Instant
        var schools: [StoredSchool]
        var byLaestab: [LAESTAB: StoredSchool]
        var calendars: [LAESTAB: SchoolCalendar]
        /// Each school's enrolments with their pupils, in register order, by school id (read when first asked for).
        var rolls: [Int: [RollEntry]] = [:]
        /// Pupils' row ids by UPN, as registration groups' rolls were read: a save names its pupils by UPN.
        var pupilIDs: [UPN: Int] = [:]
    }

    /// One enrolment of a pupil at a school.
    struct RollEntry: Sendable {
        let id: Int
        let pupil: Pupil
        let from: LocalDate
        let to: LocalDate?
    }

    /// How long a snapshot is trusted before the version is read again.
    static let recheck = Duration.seconds(1)

    private let state = Mutex<Snapshot?>(nil)

    var held: Snapshot? { state.withLock { $0 } }

    func clear() { state.withLock { $0 = nil } }

    func replace(with snapshot: Snapshot) { state.withLock { $0 = snapshot } }

    /// The version was read again and has not moved: trust what is held for another while.
    func renew(version: Int, at now: ContinuousClock.Instant) {
        state.withLock { current in
            if current?.version == version { current?.checked = now }
        }
    }

    /// Keeps a school's roll read under `version`, unless anything has changed since.
    func keep(roll: [RollEntry], for schoolID: Int, version: Int) {
        state.withLock { current in
            if current?.version == version { current?.rolls[schoolID] = roll }
        }
    }

    /// Keeps the row ids of pupils read under `version` (a registration group's roll), unless anything has changed.
    func keep(pupilIDs entries: [RollEntry], version: Int) {
        state.withLock { current in
            guard current?.version == version else { return }
            for entry in entries { current?.pupilIDs[entry.pupil.upn] = entry.id }
        }
    }

    /// Keeps a school's calendar read under `version`, unless the schools have changed since.
    func keep(_ calendar: SchoolCalendar, for school: LAESTAB, version: Int) {
        state.withLock { current in
            if current?.version == version { current?.calendars[school] = calendar }
        }
    }
}

extension Store {
    /// The schools as they stand, from memory when the version has not moved.
    func referenceData() async throws -> ReferenceCache.Snapshot {
        let now = ContinuousClock.now
        let held = reference.held
        if let held, now - held.checked < ReferenceCache.recheck { return held }
        let version =
            try await reader.raw("SELECT version FROM reference_version WHERE id = 1")
            .first(decodingColumn: "version", as: Int.self) ?? 0
        if var held, held.version == version {
            held.checked = now
            reference.renew(version: version, at: now)
            return held
        }
        let schools = try await reader.select().column("*").from("schools").orderBy("la_number")
            .orderBy("estab_number").all().map(Self.school(from:))
        let snapshot = ReferenceCache.Snapshot(
            version: version, checked: now, schools: schools,
            byLaestab: Dictionary(schools.map { ($0.school.laestab, $0) }) { first, _ in first }, calendars: [:])
        reference.replace(with: snapshot)
        return snapshot
    }

    /// Marks the schools, a calendar or a roll changed, inside the writing transaction: other processes see the
    /// new version once it commits.
    static func referenceChanged(on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE reference_version SET version = version + 1 WHERE id = 1").run()
    }
}
