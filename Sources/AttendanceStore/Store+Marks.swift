import AttendanceCore
import Foundation
import SQLKit

/// A mark to write on a school's register, as the store's callers give it: keyed by the school's LAESTAB and
/// the pupil's UPN (in the mark).
public struct SchoolMark: Sendable, Hashable {
    public let school: LAESTAB
    public let mark: Mark
    /// What the writer saw before choosing this mark (see `MarkEntry.expected`).
    public let expected: ExpectedMark?

    public init(school: LAESTAB, mark: Mark, expected: ExpectedMark? = nil) {
        self.school = school
        self.mark = mark
        self.expected = expected
    }
}

/// A mark to write for a pupil on a school's register, by row ids (inside the store).
struct MarkEntry: Sendable, Hashable {
    let pupilID: Int
    let schoolID: Int
    public let mark: Mark
    /// What the writer saw before choosing this mark. When set and the register now holds something else
    /// (someone saved in between), this entry is not written but reported as a conflict.
    public let expected: ExpectedMark?

    init(pupilID: Int, schoolID: Int, mark: Mark, expected: ExpectedMark? = nil) {
        self.pupilID = pupilID
        self.schoolID = schoolID
        self.mark = mark
        self.expected = expected
    }
}

/// The state of one register cell as a page showed it.
public enum ExpectedMark: Sendable, Hashable {
    case noMark
    case code(String)
}

/// A mark someone else changed after the writer's page was loaded: kept as they left it, and reported.
public struct MarkConflict: Sendable, Hashable {
    public let upn: UPN
    public let session: SchoolSession
    public let wanted: String
    public let current: String?
    public let currentBy: String?
}

/// What a write did: new marks, changed marks (each with a history row), and marks already as given.
public struct MarkWriteResult: Sendable, Hashable {
    public var inserted = 0
    public var amended = 0
    public var unchanged = 0
    public var conflicts: [MarkConflict] = []

    public init(inserted: Int = 0, amended: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.amended = amended
        self.unchanged = unchanged
    }
}

/// The entry a mark row holds now.
struct ExistingMark {
    let code: String
    let minutesLate: Int?
    let note: String?
    let recordedBy: String
    let recordedAt: String
}

struct MarkKey: Hashable {
    let pupilID: Int
    let date: String
    let session: String
}

/// A register save waiting for a group commit (see `Store.writeMarks(batch:on:)`).
struct MarkSave: Sendable {
    let entries: [MarkEntry]
    let actor: AuditActor
    let reason: String?
    let now: Date
    let laestabs: [Int: LAESTAB]
}

struct YearKey: Hashable {
    let pupilID: Int
    let year: Int
}

extension Store {
    /// Writes marks in one transaction: new marks are inserted; a changed mark is updated and its old entry
    /// kept in `mark_amendments` with who, when and why; marks already as given change nothing. The compact
    /// year strings are updated in the same transaction.
    ///
    /// Changing an existing mark needs a reason; without one nothing is written.
    @discardableResult
    public func writeMarks(
        _ marks: [SchoolMark], by actor: AuditActor, reason: String?, at now: Date = Date()
    ) async throws -> MarkWriteResult {
        // Read before the transaction: on SQLite its one connection is busy until the transaction ends.
        let reference = try await referenceData()
        let pupils = try await pupilIDs(of: marks, reference: reference)
        let entries = try marks.map { given in
            guard let schoolID = reference.byLaestab[given.school]?.id else {
                throw StoreError.notFound("school \(given.school)")
            }
            guard let pupilID = pupils[given.mark.upn] else { throw StoreError.notFound("pupil \(given.mark.upn)") }
            return MarkEntry(pupilID: pupilID, schoolID: schoolID, mark: given.mark, expected: given.expected)
        }
        return try await writeMarks(
            entries, by: actor, reason: reason, at: now,
            laestabs: Dictionary(uniqueKeysWithValues: reference.schools.map { ($0.id, $0.school.laestab) }))
    }

    /// The pupils' ids: from memory when the schools' rolls or the registers' groups are held (see
    /// `ReferenceCache`), a read connection asked for the rest.
    private func pupilIDs(of marks: [SchoolMark], reference: ReferenceCache.Snapshot) async throws -> [UPN: Int] {
        var ids: [UPN: Int] = [:]
        for schoolID in Set(marks.compactMap { reference.byLaestab[$0.school]?.id }) {
            for entry in reference.rolls[schoolID] ?? [] { ids[entry.pupil.upn] = entry.id }
        }
        let unheld = marks.map(\.mark.upn).filter { ids[$0] == nil }
        ids.merge(self.reference.pupilIDs(unheld, version: reference.version)) { held, _ in held }
        let missing = Set(marks.map(\.mark.upn)).filter { ids[$0] == nil }
        guard !missing.isEmpty else { return ids }
        // A read of committed rows: on SQLite it goes beside the writer rather than queueing behind its commits.
        return ids.merging(try await Self.pupilIDs(for: missing, on: reader)) { held, _ in held }
    }

    /// The same by row ids.
    @discardableResult
    func writeMarks(
        _ entries: [MarkEntry], by actor: AuditActor, reason: String?, at now: Date = Date(),
        laestabs known: [Int: LAESTAB]? = nil
    ) async throws -> MarkWriteResult {
        // Read before the transaction: on SQLite its one connection is busy until the transaction ends.
        let laestabs: [Int: LAESTAB]
        if let known {
            laestabs = known
        } else {
            laestabs = Dictionary(uniqueKeysWithValues: try await schools().map { ($0.id, $0.school.laestab) })
        }
        // On SQLite, saves that arrive together share a commit, and registers are planned together and written in
        // shared statements; each is still all or nothing (see `writeMarks(batch:on:)`). A large write (an
        // import) goes alone in the batch, read and planned a chunk of pupils at a time, as it would outside one.
        if let groupCommit {
            guard entries.count <= Self.batchedSaveLimit else {
                return try await groupCommit.submit { db in
                    do {
                        return .success(
                            try await self.writeMarks(
                                entries, by: actor, reason: reason, at: now, laestabs: laestabs, on: db))
                    } catch let refusal as StoreError {
                        return .failure(refusal)
                    }
                }
            }
            return try await groupCommit.submit(
                MarkSave(entries: entries, actor: actor, reason: reason, now: now, laestabs: laestabs)
            ) { saves, db in
                try await self.writeMarks(batch: saves, on: db)
            }
        }
        return try await transaction { db in
            try await self.writeMarks(entries, by: actor, reason: reason, at: now, laestabs: laestabs, on: db)
        }
    }

    /// The most marks a save planned with others in a batch may hold: a register or a day's corrections, not an
    /// import (whose marks the batch would hold in memory all at once).
    static let batchedSaveLimit = 2_000

    /// One write inside a transaction: read, judged and planned a chunk of pupils at a time, then written.
    func writeMarks(
        _ entries: [MarkEntry], by actor: AuditActor, reason: String?, at now: Date, laestabs: [Int: LAESTAB],
        on db: any SQLDatabase
    ) async throws -> MarkWriteResult {
        let byPupil = Dictionary(grouping: entries, by: \.pupilID)
        // Every chunk is read and judged before anything is written: a write the rules refuse (`StoreError`) has
        // written nothing. Sorted so that two writers lock pupils' year rows in the same order and cannot deadlock.
        var plans: [ChunkPlan] = []
        for pupils in byPupil.keys.sorted().chunked(250) {
            let chunk = pupils.flatMap { byPupil[$0]! }
            var state = try await markState(for: chunk, on: db)
            plans.append(
                try plan(
                    chunk, by: actor, reason: reason, at: now, laestabs: laestabs, state: &state, keepState: false))
        }
        var total = MarkWriteResult()
        for plan in plans {
            try await apply(plan, on: db)
            total.inserted += plan.result.inserted
            total.amended += plan.result.amended
            total.unchanged += plan.result.unchanged
            total.conflicts += plan.result.conflicts
        }
        return total
    }

    /// Saves that arrived together (register saves on SQLite): the register is read once for all of them, each
    /// is judged in turn against what it holds after the saves before it (so a second save of the same register
    /// sees the first, as it would one commit later), and what they change is written in shared statements. A
    /// refused save changes nothing and is answered as a refusal; any thrown error means the database failed, and
    /// the group commit then tries each save again on its own.
    func writeMarks(batch saves: [MarkSave], on db: any SQLDatabase) async throws -> [Result<
        MarkWriteResult, StoreError
    >] {
        var state = try await markState(for: saves.flatMap(\.entries), on: db)
        var merged = ChunkPlan()
        var changed = Set<YearKey>()
        var results: [Result<MarkWriteResult, StoreError>] = []
        for save in saves {
            do {
                let plan = try plan(
                    save.entries, by: save.actor, reason: save.reason, at: save.now, laestabs: save.laestabs,
                    state: &state, keepState: true)
                merged.inserts += plan.inserts
                merged.updates += plan.updates
                merged.amendments += plan.amendments
                merged.events += plan.events
                changed.formUnion(plan.changedYears)
                results.append(.success(plan.result))
            } catch let refusal as StoreError {
                results.append(.failure(refusal))
            }
        }
        merged.years = Self.yearRows(changed, from: state.years)
        try await apply(merged, on: db)
        return results
    }

    /// What the register holds for the pupils and days of a write: read once, then changed in memory by each plan
    /// made against it.
    struct MarkState {
        var years: [YearKey: YearMarks] = [:]
        var existing: [MarkKey: ExistingMark] = [:]
    }

    /// What one plan will change, worked out from a `MarkState`.
    struct ChunkPlan {
        var result = MarkWriteResult()
        var inserts: [NewMarkRow] = []
        var updates: [(key: MarkKey, entry: MarkEntry, by: String, at: String)] = []
        var amendments: [[SQLValue]] = []
        var events: [AuditEvent] = []
        var changedYears = Set<YearKey>()
        /// The changed year strings as they will be stored (a plan made alone; a batch makes its own from its state).
        var years: [[SQLValue]] = []
    }

    /// Reads the year strings (locked on PostgreSQL) and the marks the entries touch, a thousand pupils a query.
    private func markState(for entries: [MarkEntry], on db: any SQLDatabase) async throws -> MarkState {
        var state = MarkState()
        let byPupil = Dictionary(grouping: entries, by: \.pupilID)
        for pupils in byPupil.keys.sorted().chunked(1000) {
            let chunk = pupils.flatMap { byPupil[$0]! }
            state.years.merge(
                try await lockYearMarks(
                    for: Set(
                        chunk.map { YearKey(pupilID: $0.pupilID, year: $0.mark.session.date.academicYear.startYear) }),
                    on: db)
            ) { held, _ in held }
            let dates = chunk.map(\.mark.session.date)
            state.existing.merge(
                try await existingMarks(pupils: Array(pupils), from: dates.min()!, to: dates.max()!, on: db)
            ) { held, _ in held }
        }
        return state
    }

    private static func yearRows(_ keys: Set<YearKey>, from years: [YearKey: YearMarks]) -> [[SQLValue]] {
        keys.sorted { ($0.pupilID, $0.year) < ($1.pupilID, $1.year) }.map {
            [$0.pupilID, $0.year, Data(years[$0]!.bytes)]
        }
    }

    /// Judges a write against `state` and works out what it changes. A refusal (`StoreError`) leaves `state` as it
    /// was; otherwise, when `keepState` (a plan after it will read it), `state` is changed as the write will change
    /// the database.
    private func plan(
        _ entries: [MarkEntry], by actor: AuditActor, reason: String?, at now: Date, laestabs: [Int: LAESTAB],
        state: inout MarkState, keepState: Bool
    ) throws -> ChunkPlan {
        let user = actor.name
        let stamp = Timestamp.text(now)
        var plan = ChunkPlan()
        var newBySchool: [Int: Int] = [:]
        var years: [YearKey: YearMarks] = [:]
        var written: [MarkKey: ExistingMark] = [:]
        var seen = Set<MarkKey>()
        for entry in entries {
            let mark = entry.mark
            guard let code = codes[mark.code] else {
                throw StoreError.unknownCode(mark.code)
            }
            let key = MarkKey(pupilID: entry.pupilID, date: mark.session.date.iso, session: mark.session.half.rawValue)
            guard seen.insert(key).inserted else {
                throw StoreError.duplicateMark(mark.upn, mark.session)
            }
            let existing = state.existing[key]
            if let expected = entry.expected {
                let now: ExpectedMark = existing.map { .code($0.code) } ?? .noMark
                if now != expected && existing?.code != mark.code {
                    plan.result.conflicts.append(
                        MarkConflict(
                            upn: mark.upn, session: mark.session, wanted: mark.code, current: existing?.code,
                            currentBy: existing?.recordedBy))
                    continue
                }
            }
            if let old = existing {
                if old.code == mark.code && old.minutesLate == mark.minutesLate && old.note == mark.note {
                    plan.result.unchanged += 1
                    continue
                }
                guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw StoreError.reasonRequired(mark.upn, mark.session, current: old.code)
                }
                plan.amendments.append([
                    entry.pupilID, entry.schoolID, key.date, key.session, old.code, old.minutesLate, old.note,
                    old.recordedBy, old.recordedAt, mark.code, mark.minutesLate, mark.note, user, stamp, reason,
                ])
                plan.updates.append((key, entry, user, stamp))
                plan.result.amended += 1
                plan.events.append(
                    AuditEvent(
                        at: now, actor: actor, action: "mark.amended", school: laestabs[entry.schoolID], upn: mark.upn,
                        subject: mark.session.description,
                        before: auditJSON([
                            "code": old.code, "minutes_late": old.minutesLate.map(String.init), "note": old.note,
                        ]),
                        after: auditJSON([
                            "code": mark.code, "minutes_late": mark.minutesLate.map(String.init), "note": mark.note,
                        ]),
                        reason: reason))
            } else {
                plan.inserts.append(
                    NewMarkRow(
                        pupilID: entry.pupilID, schoolID: entry.schoolID, date: key.date, session: key.session,
                        code: mark.code, minutesLate: mark.minutesLate, note: mark.note, recordedBy: user,
                        recordedAt: stamp))
                plan.result.inserted += 1
                newBySchool[entry.schoolID, default: 0] += 1
            }
            if keepState {
                written[key] = ExistingMark(
                    code: mark.code, minutesLate: mark.minutesLate, note: mark.note, recordedBy: user,
                    recordedAt: stamp)
            }
            let yearKey = YearKey(pupilID: entry.pupilID, year: mark.session.date.academicYear.startYear)
            years[yearKey, default: state.years[yearKey] ?? YearMarks(academicYear: mark.session.date.academicYear)][
                mark.session] = code.id
        }

        // New marks are the register being taken: one line per school per write, not one per mark.
        for (schoolID, count) in newBySchool.sorted(by: { $0.key < $1.key }) {
            plan.events.append(
                AuditEvent(
                    at: now, actor: actor, action: "marks.recorded", school: laestabs[schoolID],
                    after: auditJSON(["count": String(count)]), reason: reason))
        }
        // Judged: what it writes is now what the register holds, for the plans after it.
        if keepState {
            state.existing.merge(written) { _, new in new }
            state.years.merge(years) { _, new in new }
        }
        plan.changedYears = Set(years.keys)
        // A plan made with others leaves its year strings to the batch, which writes each once as the last plan
        // left it (from `state`).
        if !keepState { plan.years = Self.yearRows(plan.changedYears, from: years) }
        return plan
    }

    /// Writes what a plan says: only database failures can stop it. New marks first: a later save in the same
    /// batch may amend one of them.
    private func apply(_ plan: ChunkPlan, on db: any SQLDatabase) async throws {
        try await Self.insertMarks(plan.inserts, postgres: location.isPostgres, on: db)
        for (key, entry, user, stamp) in plan.updates {
            try await db.update("marks")
                .set("code", to: entry.mark.code).set("minutes_late", to: entry.mark.minutesLate)
                .set("note", to: entry.mark.note).set("school_id", to: entry.schoolID)
                .set("recorded_by", to: user).set("recorded_at", to: stamp)
                .where("pupil_id", .equal, key.pupilID).where("date", .equal, key.date)
                .where("session", .equal, key.session)
                .run()
        }
        try await db.insertRows(
            into: "mark_amendments",
            columns: [
                "pupil_id", "school_id", "date", "session", "old_code", "old_minutes_late", "old_note",
                "old_recorded_by",
                "old_recorded_at", "new_code", "new_minutes_late", "new_note", "changed_by", "changed_at", "reason",
            ],
            rows: plan.amendments)
        try await Self.audit(plan.events, on: db)
        // Every changed year string in one statement, inserted where the pupil had none for the year.
        try await db.insertRows(
            into: "pupil_year_marks", columns: ["pupil_id", "academic_year", "marks"], rows: plan.years
        ) {
            $0.onConflict(with: ["pupil_id", "academic_year"]) { $0.set(excludedValueOf: "marks") }
        }
    }

    /// Reads each pupil-year's compact row (blank where there is none yet). On PostgreSQL the rows are made first
    /// and locked, so that concurrent saves to the same pupil's register queue rather than overwrite each other;
    /// a SQLite transaction has the one writer to itself, and writes nothing before it has judged the save.
    private func lockYearMarks(for keys: Set<YearKey>, on db: any SQLDatabase) async throws -> [YearKey: YearMarks] {
        if location.isPostgres {
            let blank = keys.map { key -> [SQLValue] in
                [key.pupilID, key.year, Data(count: AcademicYear(startYear: key.year).sessionSlotCount)]
            }
            try await db.insertRows(
                into: "pupil_year_marks", columns: ["pupil_id", "academic_year", "marks"], rows: blank
            ) {
                $0.ignoringConflicts(with: ["pupil_id", "academic_year"])
            }
        }
        let pupils = Array(Set(keys.map(\.pupilID))).sorted()
        let wanted = Array(Set(keys.map(\.year)))
        // The lock is PostgreSQL's (a SQLite transaction already has the one writer to itself).
        let lock: SQLQueryString = location.isPostgres ? " ORDER BY pupil_id, academic_year FOR UPDATE" : ""
        var result: [YearKey: YearMarks] = [:]
        for (pupil, marks) in try await yearMarkRows(
            where: "pupil_id IN (\(binds: pupils)) AND academic_year IN (\(binds: wanted))" + lock, on: db)
        {
            result[YearKey(pupilID: pupil, year: marks.academicYear.startYear)] = marks
        }
        for key in keys where result[key] == nil {
            result[key] = YearMarks(academicYear: AcademicYear(startYear: key.year))
        }
        return result
    }

    private func existingMarks(
        pupils: [Int], from: LocalDate, to: LocalDate, on db: any SQLDatabase
    ) async throws -> [MarkKey: ExistingMark] {
        let rows = try await db.raw(
            """
            SELECT pupil_id, date, session, code, minutes_late, note, recorded_by, recorded_at FROM marks
            WHERE pupil_id IN (\(binds: pupils)) AND date >= \(bind: from.iso) AND date <= \(bind: to.iso)
            """
        ).all()
        var result: [MarkKey: ExistingMark] = [:]
        result.reserveCapacity(rows.count)
        for row in rows {
            let key = MarkKey(
                pupilID: try row.decode(column: "pupil_id", as: Int.self),
                date: try row.decode(column: "date", as: String.self),
                session: try row.decode(column: "session", as: String.self))
            result[key] = ExistingMark(
                code: try row.decode(column: "code", as: String.self),
                minutesLate: try row.decode(column: "minutes_late", as: Int?.self),
                note: try row.decode(column: "note", as: String?.self),
                recordedBy: try row.decode(column: "recorded_by", as: String.self),
                recordedAt: try row.decode(column: "recorded_at", as: String.self))
        }
        return result
    }
}
