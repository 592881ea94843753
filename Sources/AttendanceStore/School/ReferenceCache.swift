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
    /// Pupils' row ids by UPN, as registration groups' rolls were read (a save names its pupils by UPN), with the
    /// version they were read under. Apart from the snapshot, which every request copies out: a dictionary of the
    /// authority's pupils changed while copies are held would be copied whole each time.
    private let ids = Mutex<(version: Int, byUPN: [UPN: Int])>((-1, [:]))
    /// Registration groups' rolls (every enrolment at the school of a pupil in the group), read for their registers
    /// under the version they hold: a server taking registers reads each group's roll once, not at every save, and
    /// does not hold the whole of every school's roll for it. Apart from the snapshot for the same reason as `ids`;
    /// at most `heldGroupEntries` enrolments, so that a server for all of Wales holds a part of its groups, not
    /// every pupil (about 200 bytes each).
    private let groups = Mutex(HeldGroups())

    /// Enough for an authority of Wrexham's size (22,000 pupils) to hold every group.
    static let heldGroupEntries = 40_000

    private struct HeldGroups {
        var version = -1
        var rolls: [GroupKey: [RollEntry]] = [:]
        var entries = 0
    }

    /// A registration group at a school, by the school's row id.
    struct GroupKey: Hashable {
        let schoolID: Int
        let group: String
    }

    var held: Snapshot? { state.withLock { $0 } }

    func clear() {
        state.withLock { $0 = nil }
        ids.withLock { $0 = (-1, [:]) }
        groups.withLock { $0 = HeldGroups() }
    }

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

    /// Keeps the row ids of pupils read under `version` (a registration group's roll). A newer version forgets
    /// the ids held under an older one; ids read under an older version than those held are not kept.
    func keep(pupilIDs entries: [RollEntry], version: Int) {
        ids.withLock { held in
            if version > held.version { held = (version, [:]) }
            guard version == held.version else { return }
            for entry in entries { held.byUPN[entry.pupil.upn] = entry.id }
        }
    }

    /// The ids held under `version` of those of `upns` that are held.
    func pupilIDs(_ upns: some Sequence<UPN>, version: Int) -> [UPN: Int] {
        ids.withLock { held in
            guard held.version == version else { return [:] }
            var found: [UPN: Int] = [:]
            for upn in upns { found[upn] = held.byUPN[upn] }
            return found
        }
    }

    /// Keeps a registration group's roll read under `version`, as `keep(pupilIDs:version:)` keeps ids.
    func keep(groupRoll roll: [RollEntry], for key: GroupKey, version: Int) {
        groups.withLock { held in
            if version > held.version { held = HeldGroups(version: version) }
            guard version == held.version, held.rolls[key] == nil, roll.count <= Self.heldGroupEntries else { return }
            // Full: some groups held are let go (any: the groups a server is asked for are not predictable).
            while held.entries + roll.count > Self.heldGroupEntries, let (dropped, entries) = held.rolls.first {
                held.rolls[dropped] = nil
                held.entries -= entries.count
            }
            held.rolls[key] = roll
            held.entries += roll.count
        }
    }

    /// A registration group's roll, if it is held under `version`.
    func groupRoll(_ key: GroupKey, version: Int) -> [RollEntry]? {
        groups.withLock { held in held.version == version ? held.rolls[key] : nil }
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
        let held = referenceCache.held
        if let held, now - held.checked < ReferenceCache.recheck { return held }
        let version =
            try await reader.raw("SELECT version FROM reference_version WHERE id = 1")
            .first(decodingColumn: "version", as: Int.self) ?? 0
        if var held, held.version == version {
            held.checked = now
            referenceCache.renew(version: version, at: now)
            return held
        }
        let schools = try await reader.select().column("*").from("schools").orderBy("la_number")
            .orderBy("estab_number").all().map(ReferenceRepository.school(from:))
        let snapshot = ReferenceCache.Snapshot(
            version: version, checked: now, schools: schools,
            byLaestab: Dictionary(schools.map { ($0.school.laestab, $0) }) { first, _ in first }, calendars: [:])
        referenceCache.replace(with: snapshot)
        return snapshot
    }

    /// Marks the schools, a calendar or a roll changed, inside the writing transaction: other processes see the
    /// new version once it commits.
    static func referenceChanged(on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE reference_version SET version = version + 1 WHERE id = 1").run()
    }
}
