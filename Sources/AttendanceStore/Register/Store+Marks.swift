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
    /// The save was received before (its device's key was known): nothing was written; the marks it gave that the
    /// register no longer holds are reported as conflicts (someone changed them since).
    public var repeated = false

    public init(inserted: Int = 0, amended: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.amended = amended
        self.unchanged = unchanged
    }
}

/// The entry the record holds now for a mark.
struct ExistingMark {
    let code: String
    let minutesLate: Int?
    let note: String?
    let recordedBy: String
    let recordedAt: String
}

/// One pupil's session.
struct MarkKey: Hashable {
    let pupilID: Int
    let session: SchoolSession
}

/// A register save waiting for a group commit (see `Store.writeMarks(batch:on:)`).
struct MarkSave: Sendable {
    let entries: [MarkEntry]
    let actor: AuditActor
    let reason: String?
    let now: Date
    let laestabs: [Int: LAESTAB]
    var device: DeviceSave? = nil
}

/// A pupil's school year: the key of their year of codes and their year of recordings.
struct YearKey: Hashable {
    let pupilID: Int
    let year: Int
}

extension RegisterRepository {
    /// Writes marks in one transaction: new marks are inserted; a changed mark is updated and its old entry
    /// kept in `mark_amendments` with who, when and why; marks already as given change nothing. The compact
    /// year strings are updated in the same transaction.
    ///
    /// Changing an existing mark needs a reason; without one nothing is written.
    ///
    /// A save a device sends (`device`) is written once: its key is kept with the save, in the same transaction, and
    /// the same key from the same person again writes nothing (see `MarkWriteResult.repeated`). The time the marks
    /// were made on the device is kept with who recorded them.
    @discardableResult
    public func writeMarks(
        _ marks: [SchoolMark], by actor: AuditActor, reason: String?, at now: Date = Date(),
        device: DeviceSave? = nil
    ) async throws -> MarkWriteResult {
        // Read before the transaction: on SQLite its one connection is busy until the transaction ends.
        let reference = try await store.referenceData()
        let pupils = try await pupilIDs(of: marks, reference: reference)
        // An import's marks come school by school and pupil by pupil: the last ids found serve most marks.
        var entries: [MarkEntry] = []
        entries.reserveCapacity(marks.count)
        var school: (laestab: LAESTAB, id: Int)? = nil
        var pupil: (upn: UPN, id: Int)? = nil
        for given in marks {
            if school?.laestab != given.school {
                guard let id = reference.byLaestab[given.school]?.id else {
                    throw StoreError.notFound("school \(given.school)")
                }
                school = (given.school, id)
            }
            if pupil?.upn != given.mark.upn {
                guard let id = pupils[given.mark.upn] else { throw StoreError.notFound("pupil \(given.mark.upn)") }
                pupil = (given.mark.upn, id)
            }
            guard let pupilID = pupil?.id, let schoolID = school?.id else { continue }  // both set just above
            entries.append(MarkEntry(pupilID: pupilID, schoolID: schoolID, mark: given.mark, expected: given.expected))
        }
        return try await writeMarks(
            entries, by: actor, reason: reason, at: now,
            laestabs: Dictionary(uniqueKeysWithValues: reference.schools.map { ($0.id, $0.school.laestab) }),
            device: device)
    }

    /// The pupils' ids: from memory when the schools' rolls or the registers' groups are held (see
    /// `ReferenceCache`), a read connection asked for the rest.
    func pupilIDs(of marks: [SchoolMark], reference: ReferenceCache.Snapshot) async throws -> [UPN: Int] {
        var upns: [UPN] = []
        var laestabs: [LAESTAB] = []
        for mark in marks {
            if mark.mark.upn != upns.last { upns.append(mark.mark.upn) }
            if mark.school != laestabs.last { laestabs.append(mark.school) }
        }
        var ids: [UPN: Int] = [:]
        for schoolID in Set(laestabs.compactMap { reference.byLaestab[$0]?.id }) {
            for entry in reference.rolls[schoolID] ?? [] { ids[entry.pupil.upn] = entry.id }
        }
        let unheld = upns.filter { ids[$0] == nil }
        ids.merge(store.referenceCache.pupilIDs(unheld, version: reference.version)) { held, _ in held }
        let missing = Set(upns).filter { ids[$0] == nil }
        guard !missing.isEmpty else { return ids }
        // A read of committed rows: on SQLite it goes beside the writer rather than queueing behind its commits.
        return ids.merging(try await ReferenceRepository.pupilIDs(for: missing, on: store.reader)) { held, _ in held }
    }

    /// The same by row ids.
    @discardableResult
    func writeMarks(
        _ entries: [MarkEntry], by actor: AuditActor, reason: String?, at now: Date = Date(),
        laestabs known: [Int: LAESTAB]? = nil, device: DeviceSave? = nil
    ) async throws -> MarkWriteResult {
        // Read before the transaction: on SQLite its one connection is busy until the transaction ends.
        let laestabs: [Int: LAESTAB]
        if let known {
            laestabs = known
        } else {
            laestabs = Dictionary(
                uniqueKeysWithValues: try await store.reference.schools().map { ($0.id, $0.school.laestab) })
        }
        // Saves that arrive together share a commit, and registers are planned together and written in shared
        // statements; each is still all or nothing (see `writeMarks(batch:on:)`). A large write (an import) goes
        // alone in the batch on SQLite, read and planned a chunk of pupils at a time, as it would outside one; on
        // PostgreSQL, which has writers to spare, it takes a transaction of its own beside the batches.
        if let groupCommit = store.groupCommit, entries.count <= Self.batchedSaveLimit || !store.location.isPostgres {
            guard entries.count <= Self.batchedSaveLimit else {
                return try await groupCommit.submit { db in
                    do {
                        return .success(
                            try await self.writeMarks(
                                entries, by: actor, reason: reason, at: now, laestabs: laestabs, device: device,
                                on: db))
                    } catch let refusal as StoreError {
                        return .failure(refusal)
                    }
                }
            }
            return try await groupCommit.submit(
                MarkSave(
                    entries: entries, actor: actor, reason: reason, now: now, laestabs: laestabs, device: device)
            ) { saves, db in
                try await self.writeMarks(batch: saves, on: db)
            }
        }
        return try await store.transaction { db in
            try await self.writeMarks(
                entries, by: actor, reason: reason, at: now, laestabs: laestabs, device: device, on: db)
        }
    }

    /// The most marks a save planned with others in a batch may hold: a register or a day's corrections, not an
    /// import (whose marks the batch would hold in memory all at once).
    static let batchedSaveLimit = 2_000

    /// One write inside a transaction: read, judged and planned a chunk of pupils at a time, then written. Every
    /// mark it records at a school names one recorder (who, when, the school).
    func writeMarks(
        _ entries: [MarkEntry], by actor: AuditActor, reason: String?, at now: Date, laestabs: [Int: LAESTAB],
        device: DeviceSave? = nil, on db: any SQLDatabase
    ) async throws -> MarkWriteResult {
        // The key is claimed first: a second sending of the same save at the same moment waits here on PostgreSQL
        // until the first commits, then finds the key taken and reads the marks the first wrote.
        var repeated = false
        if let device { repeated = try await !claim(device, by: actor.name, at: now, on: db) }
        let recorders = try await reserveRecorders(
            for: Set(entries.map(\.schoolID)), by: actor.name, at: Timestamp.text(now),
            madeAt: device?.madeAt.map(Timestamp.text), on: db)
        // By pupil (an import's usually are already), so that each chunk holds whole pupils.
        let sorted = Self.inPupilOrder(entries)
        // Every chunk is read and judged before anything is written: a write the rules refuse (`StoreError`) has
        // written nothing. In pupils' order, so that two writers lock pupils' year rows in the same order and cannot
        // deadlock.
        var plans: [(plan: ChunkPlan, state: MarkState)] = []
        for chunk in Self.wholePupils(sorted, perChunk: 250) {
            var state = try await markState(for: chunk, on: db)
            let plan = try plan(
                chunk, by: actor, reason: reason, at: now, laestabs: laestabs, recorders: recorders,
                repeated: repeated, state: &state)
            plans.append((plan, state))
        }
        let used = plans.reduce(into: Set<UInt32>()) { $0.formUnion($1.plan.usedRecorders) }
        try await insertRecorders(recorders.values.filter { used.contains($0.id) }, on: db)
        var total = MarkWriteResult()
        total.repeated = repeated
        for (plan, state) in plans {
            try await apply(plan, from: state, on: db)
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
        var state = try await markState(for: saves.flatMap(\.entries)[...], on: db)
        let schools = saves.map { Set($0.entries.map(\.schoolID)).sorted() }
        var numbers = try await reserveRecorderIDs(schools.reduce(0) { $0 + $1.count }, on: db)[...]
        var merged = ChunkPlan()
        var results: [Result<MarkWriteResult, StoreError>] = []
        var used: [NumberedRecorder] = []
        // Devices' keys: those received before, and those of this batch's saves as each is written (a key is kept
        // only with a save that was written; a refused save may be sent again).
        var claimed = try await claimedKeys(saves, on: db)
        var newKeys: [[SQLValue]] = []
        for (save, schools) in zip(saves, schools) {
            let stamp = Timestamp.text(save.now)
            var recorders: [Int: NumberedRecorder] = [:]
            for school in schools {
                recorders[school] = NumberedRecorder(
                    id: numbers.removeFirst(),
                    recorder: Recorder(
                        schoolID: school, by: save.actor.name, at: stamp,
                        madeAt: save.device?.madeAt.map(Timestamp.text)))
            }
            let key = save.device.map { SaveKey(by: save.actor.name, key: $0.key) }
            let repeated = key.map { claimed.contains($0) } ?? false
            do {
                var plan = try plan(
                    save.entries[...], by: save.actor, reason: save.reason, at: save.now, laestabs: save.laestabs,
                    recorders: recorders, repeated: repeated, state: &state)
                plan.result.repeated = repeated
                if let key, !repeated {
                    claimed.insert(key)
                    newKeys.append([key.by, key.key, stamp])
                }
                merged.amendments += plan.amendments
                merged.events += plan.events
                merged.changedYears.formUnion(plan.changedYears)
                merged.changedDetails.formUnion(plan.changedDetails)
                used += recorders.values.filter { plan.usedRecorders.contains($0.id) }
                results.append(.success(plan.result))
            } catch let refusal as StoreError {
                results.append(.failure(refusal))
            }
        }
        try await insertRecorders(used, on: db)
        try await db.insertRows(
            into: "register_saves", columns: ["recorded_by", "save_key", "received_at"], rows: newKeys)
        try await apply(merged, from: state, on: db)
        return results
    }

    /// A device's key for a save, with the person who sent it (keys are the person's: another's key is another save).
    struct SaveKey: Hashable {
        let by: String
        let key: String
    }

    /// Keeps a device's key for a save being written; false when it was kept before (the same save again).
    private func claim(_ device: DeviceSave, by who: String, at now: Date, on db: any SQLDatabase) async throws
        -> Bool
    {
        try await db.raw(
            """
            INSERT INTO register_saves (recorded_by, save_key, received_at)
            VALUES (\(bind: who), \(bind: device.key), \(bind: Timestamp.text(now)))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).first() != nil
    }

    /// The keys of a batch's saves that were received before.
    private func claimedKeys(_ saves: [MarkSave], on db: any SQLDatabase) async throws -> Set<SaveKey> {
        let keys = saves.compactMap { save in save.device.map { SaveKey(by: save.actor.name, key: $0.key) } }
        guard !keys.isEmpty else { return [] }
        let rows = try await db.raw(
            "SELECT recorded_by, save_key FROM register_saves WHERE save_key IN (\(binds: keys.map(\.key)))"
        ).all()
        let found = Set(
            try rows.map {
                SaveKey(
                    by: try $0.decode(column: "recorded_by", as: String.self),
                    key: try $0.decode(column: "save_key", as: String.self))
            })
        return found.intersection(keys)
    }

    /// What the record holds for the pupils and days of a write: read once, then changed in memory by each plan
    /// made against it.
    struct MarkState {
        var years: [YearKey: YearMarks] = [:]
        var recordings: [YearKey: YearRecordings] = [:]
        var details: [MarkKey: MarkDetail] = [:]
        var recorders: [UInt32: Recorder] = [:]

        /// The mark a pupil's session holds, from its code's id (0 for none) and its recorder's number.
        func existing(code id: UInt8, recorder: UInt32, key: MarkKey, table: CodeTable) -> ExistingMark? {
            guard let code = table.code(id: id) else { return nil }
            let recorder = recorders[recorder]
            let detail = details.isEmpty ? nil : details[key]
            return ExistingMark(
                code: code.code, minutesLate: detail?.minutesLate, note: detail?.note,
                recordedBy: recorder?.by ?? "", recordedAt: recorder?.at ?? "")
        }
    }

    /// A recorder with the number the marks it recorded carry.
    struct NumberedRecorder: Sendable {
        let id: UInt32
        let recorder: Recorder
    }

    /// What one plan will change, worked out from a `MarkState` (the rows are made from the state after it).
    struct ChunkPlan {
        var result = MarkWriteResult()
        var amendments: [[SQLValue]] = []
        var events: [AuditEvent] = []
        var changedYears = Set<YearKey>()
        var changedDetails = Set<MarkKey>()
        var usedRecorders = Set<UInt32>()
    }

    /// The entries by pupil, each pupil's in the order given. An import's come pupil by pupil already, though not
    /// always in the order of their row ids: its runs are put in order, not its marks one by one.
    static func inPupilOrder(_ entries: [MarkEntry]) -> [MarkEntry] {
        var runs: [(pupil: Int, range: Range<Int>)] = []
        var start = entries.startIndex
        for index in entries.indices.dropFirst() where entries[index].pupilID != entries[index - 1].pupilID {
            runs.append((entries[start].pupilID, start..<index))
            start = index
        }
        if start < entries.endIndex { runs.append((entries[start].pupilID, start..<entries.endIndex)) }
        if zip(runs, runs.dropFirst()).allSatisfy({ $0.pupil < $1.pupil }) { return entries }
        var result: [MarkEntry] = []
        result.reserveCapacity(entries.count)
        for run in runs.enumerated().sorted(by: { ($0.element.pupil, $0.offset) < ($1.element.pupil, $1.offset) }) {
            result.append(contentsOf: entries[run.element.range])
        }
        return result
    }

    /// Cuts entries in pupil order into pieces of whole pupils, `perChunk` pupils each.
    static func wholePupils(_ entries: [MarkEntry], perChunk: Int) -> [ArraySlice<MarkEntry>] {
        var chunks: [ArraySlice<MarkEntry>] = []
        var start = entries.startIndex
        var pupils = 0
        for index in entries.indices where index == start || entries[index].pupilID != entries[index - 1].pupilID {
            if pupils == perChunk {
                chunks.append(entries[start..<index])
                start = index
                pupils = 0
            }
            pupils += 1
        }
        if start < entries.endIndex { chunks.append(entries[start...]) }
        return chunks
    }

    /// Numbers for new recorders, one for each school a write records marks at.
    private func reserveRecorders(
        for schools: Set<Int>, by who: String, at stamp: String, madeAt: String?, on db: any SQLDatabase
    ) async throws -> [Int: NumberedRecorder] {
        let sorted = schools.sorted()
        let numbers = try await reserveRecorderIDs(sorted.count, on: db)
        return Dictionary(
            uniqueKeysWithValues: zip(sorted, numbers).map {
                ($0, NumberedRecorder(id: $1, recorder: Recorder(schoolID: $0, by: who, at: stamp, madeAt: madeAt)))
            })
    }

    /// Numbers no recorder has yet: PostgreSQL's sequence hands them out to concurrent writers; a SQLite
    /// transaction has the one writer to itself, so the next after the largest is free until it commits. A number
    /// reserved but not used (every mark was already as given) is simply never written.
    private func reserveRecorderIDs(_ count: Int, on db: any SQLDatabase) async throws -> [UInt32] {
        guard count > 0 else { return [] }
        if store.location.isPostgres {
            return try await db.raw(
                """
                SELECT nextval(pg_get_serial_sequence('register_recordings', 'id')) AS id
                FROM generate_series(1, \(bind: count))
                """
            ).all().map { UInt32(try $0.decode(column: "id", as: Int.self)) }
        }
        let last =
            try await db.raw("SELECT coalesce(max(id), 0) AS last FROM register_recordings").first()?.decode(
                column: "last", as: Int.self) ?? 0
        return (1...count).map { UInt32(last + $0) }
    }

    private func insertRecorders(_ recorders: some Collection<NumberedRecorder>, on db: any SQLDatabase) async throws {
        try await db.insertRows(
            into: "register_recordings", columns: ["id", "school_id", "recorded_by", "recorded_at", "made_at"],
            rows: recorders.sorted { $0.id < $1.id }.map {
                [Int($0.id), $0.recorder.schoolID, $0.recorder.by, $0.recorder.at, $0.recorder.madeAt]
            })
    }

    /// Reads the year strings (locked on PostgreSQL), who recorded them and the marks' details, a thousand pupils a
    /// query.
    private func markState(for entries: ArraySlice<MarkEntry>, on db: any SQLDatabase) async throws -> MarkState {
        var state = MarkState()
        var keys = Set<YearKey>()
        var last: YearKey? = nil
        guard let earliest = entries.first?.mark.session.date else { return state }
        var (first, final) = (earliest, earliest)
        for entry in entries {
            let date = entry.mark.session.date
            let key = YearKey(pupilID: entry.pupilID, year: date.academicYear.startYear)
            if key != last {
                keys.insert(key)
                last = key
            }
            first = min(first, date)
            final = max(final, date)
        }
        for pupils in Set(keys.map(\.pupilID)).sorted().chunked(1000) {
            let wanted = Set(pupils)
            let (years, stored) = try await lockYearMarks(for: keys.filter { wanted.contains($0.pupilID) }, on: db)
            state.years.merge(years) { held, _ in held }
            // A pupil with no year string yet has nothing else recorded for the year either.
            guard !stored.isEmpty else { continue }
            state.recordings.merge(try await yearRecordings(for: stored, on: db)) { held, _ in held }
            state.details.merge(
                try await store.markDetails(
                    pupils: Array(Set(stored.map(\.pupilID))), in: DateRange(start: first, notBefore: final), on: db)
            ) { held, _ in held }
        }
        // Who recorded the marks the write meets (for the legal history and for conflicts).
        var ids = Set<UInt32>()
        if !state.recordings.isEmpty {
            for entry in entries {
                let key = YearKey(pupilID: entry.pupilID, year: entry.mark.session.date.academicYear.startYear)
                if let id = state.recordings[key]?[entry.mark.session.slotInAcademicYear], id != 0 { ids.insert(id) }
            }
        }
        state.recorders = try await store.recorders(ids, on: db)
        return state
    }

    private func yearRecordings(for keys: Set<YearKey>, on db: any SQLDatabase) async throws -> [YearKey:
        YearRecordings]
    {
        var result: [YearKey: YearRecordings] = [:]
        for row in try await db.raw(
            """
            SELECT pupil_id, academic_year, recordings FROM pupil_year_recordings
            WHERE pupil_id IN (\(binds: Set(keys.map(\.pupilID)).sorted())) AND academic_year IN (\(binds: Set(keys.map(\.year)).sorted()))
            """
        ).all() {
            let key = YearKey(
                pupilID: try row.decode(column: "pupil_id", as: Int.self),
                year: try row.decode(column: "academic_year", as: Int.self))
            result[key] = YearRecordings(
                academicYear: AcademicYear(startYear: key.year),
                data: try row.decode(column: "recordings", as: Data.self))
        }
        return result
    }

    /// Judges a write against `state` and works out what it changes. A refusal (`StoreError`) leaves `state` as it
    /// was; otherwise `state` is changed as the write will change the database, for the plans after it and for the
    /// rows written from it.
    private func plan(
        _ entries: ArraySlice<MarkEntry>, by actor: AuditActor, reason: String?, at now: Date, laestabs: [Int: LAESTAB],
        recorders: [Int: NumberedRecorder], repeated: Bool = false, state: inout MarkState
    ) throws -> ChunkPlan {
        let user = actor.name
        let stamp = Timestamp.text(now)
        var plan = ChunkPlan()
        var newBySchool: [(school: Int, count: Int)] = []
        // The changed years, and which of their sessions this write has given (a second is a duplicate).
        var years: [YearKey: YearMarks] = [:]
        var recordings: [YearKey: YearRecordings] = [:]
        var given: [YearKey: [Bool]] = [:]
        var details: [MarkKey: MarkDetail?] = [:]
        // The year being written: an import's marks come pupil by pupil, so most marks find their year here
        // without a look-up. Taken out of the dictionaries while it is worked on, so that changing it copies nothing.
        var currentKey: YearKey? = nil
        var codeRow = YearMarks(academicYear: AcademicYear(startYear: 2000))
        var recorderRow = YearRecordings(academicYear: AcademicYear(startYear: 2000))
        var givenRow: [Bool] = []
        var changed = Set<YearKey>()
        var currentChanged = false
        func putBack() {
            guard let key = currentKey else { return }
            if currentChanged { changed.insert(key) }
            years[key] = codeRow
            recordings[key] = recorderRow
            given[key] = givenRow
        }
        var lastCode: AttendanceCode? = nil
        var lastRecorder: NumberedRecorder? = nil
        for entry in entries {
            let mark = entry.mark
            if lastCode?.code != mark.code {
                guard let code = store.codes[mark.code] else { throw StoreError.unknownCode(mark.code) }
                lastCode = code
            }
            guard let code = lastCode else { continue }  // set just above for this mark's code
            let academicYear = mark.session.date.academicYear
            let yearKey = YearKey(pupilID: entry.pupilID, year: academicYear.startYear)
            if yearKey != currentKey {
                putBack()
                currentKey = yearKey
                currentChanged = changed.contains(yearKey)
                codeRow =
                    years.removeValue(forKey: yearKey) ?? state.years[yearKey] ?? YearMarks(academicYear: academicYear)
                recorderRow =
                    recordings.removeValue(forKey: yearKey) ?? state.recordings[yearKey]
                    ?? YearRecordings(academicYear: academicYear)
                givenRow =
                    given.removeValue(forKey: yearKey)
                    ?? Array(repeating: false, count: academicYear.sessionSlotCount)
            }
            let slot = mark.session.slotInAcademicYear
            guard !givenRow[slot] else { throw StoreError.duplicateMark(mark.upn, mark.session) }
            givenRow[slot] = true
            // Each session is given once, so the row still holds here what the state held.
            let key = MarkKey(pupilID: entry.pupilID, session: mark.session)
            let existing = state.existing(
                code: codeRow[slot: slot], recorder: recorderRow[slot], key: key, table: store.codes)
            // A save received before wrote its marks then: one the register no longer holds was changed since.
            if repeated {
                if let old = existing, old.code == mark.code {
                    plan.result.unchanged += 1
                } else {
                    plan.result.conflicts.append(
                        MarkConflict(
                            upn: mark.upn, session: mark.session, wanted: mark.code, current: existing?.code,
                            currentBy: existing?.recordedBy))
                }
                continue
            }
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
                    entry.pupilID, entry.schoolID, mark.session.date.iso, mark.session.half.rawValue, old.code,
                    old.minutesLate, old.note, old.recordedBy, old.recordedAt, mark.code, mark.minutesLate, mark.note,
                    user, stamp, reason,
                ])
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
                plan.result.inserted += 1
                if let index = newBySchool.firstIndex(where: { $0.school == entry.schoolID }) {
                    newBySchool[index].count += 1
                } else {
                    newBySchool.append((entry.schoolID, 1))
                }
            }
            if lastRecorder?.recorder.schoolID != entry.schoolID {
                guard let recorder = recorders[entry.schoolID] else {
                    throw StoreError.corrupt("no recorder reserved for a school of the save")
                }
                lastRecorder = recorder
                plan.usedRecorders.insert(recorder.id)
            }
            codeRow[slot: slot] = code.id
            recorderRow[slot] = lastRecorder?.id ?? 0
            currentChanged = true
            if mark.minutesLate != nil || mark.note != nil {
                details[key] = .some(
                    MarkDetail(schoolID: entry.schoolID, minutesLate: mark.minutesLate, note: mark.note))
            } else if !state.details.isEmpty && state.details[key] != nil {
                details[key] = .some(nil)
            }
        }
        putBack()

        // New marks are the register being taken: one line per school per write, not one per mark.
        for (schoolID, count) in newBySchool.sorted(by: { $0.school < $1.school }) {
            plan.events.append(
                AuditEvent(
                    at: now, actor: actor, action: "marks.recorded", school: laestabs[schoolID],
                    after: auditJSON(["count": String(count)]), reason: reason))
        }
        // Judged: what it writes is now what the record holds, for the plans after it and the rows written.
        for key in changed {
            state.years[key] = years[key]
            state.recordings[key] = recordings[key]
        }
        for (key, detail) in details { state.details[key] = detail }
        for recorder in recorders.values where plan.usedRecorders.contains(recorder.id) {
            state.recorders[recorder.id] = recorder.recorder
        }
        plan.changedYears = changed
        plan.changedDetails = Set(details.keys)
        return plan
    }

    /// Writes what a plan says, the changed year strings and details as `state` holds them after it: only database
    /// failures can stop it.
    private func apply(_ plan: ChunkPlan, from state: MarkState, on db: any SQLDatabase) async throws {
        try await db.insertRows(
            into: "mark_amendments",
            columns: [
                "pupil_id", "school_id", "date", "session", "old_code", "old_minutes_late", "old_note",
                "old_recorded_by",
                "old_recorded_at", "new_code", "new_minutes_late", "new_note", "changed_by", "changed_at", "reason",
            ],
            rows: plan.amendments)
        try await Store.audit(plan.events, on: db)
        // Every changed year string in one statement, inserted where the pupil had none for the year.
        let years = plan.changedYears.sorted { ($0.pupilID, $0.year) < ($1.pupilID, $1.year) }
        try await db.insertRows(
            into: "pupil_year_marks", columns: ["pupil_id", "academic_year", "marks"],
            rows: years.compactMap { key in state.years[key].map { [key.pupilID, key.year, Data($0.bytes)] } }
        ) {
            $0.onConflict(with: ["pupil_id", "academic_year"]) { $0.set(excludedValueOf: "marks") }
        }
        try await db.insertRows(
            into: "pupil_year_recordings", columns: ["pupil_id", "academic_year", "recordings"],
            rows: years.compactMap { key in state.recordings[key].map { [key.pupilID, key.year, $0.data] } }
        ) {
            $0.onConflict(with: ["pupil_id", "academic_year"]) { $0.set(excludedValueOf: "recordings") }
        }
        let details = plan.changedDetails.sorted { ($0.pupilID, $0.session) < ($1.pupilID, $1.session) }
        try await db.insertRows(
            into: "mark_details", columns: ["pupil_id", "school_id", "date", "session", "minutes_late", "note"],
            rows: details.compactMap { key in
                state.details[key].map {
                    [
                        key.pupilID, $0.schoolID, key.session.date.iso, key.session.half.rawValue, $0.minutesLate,
                        $0.note,
                    ]
                }
            }
        ) {
            $0.onConflict(with: ["pupil_id", "date", "session"]) {
                $0.set(excludedValueOf: "school_id").set(excludedValueOf: "minutes_late").set(excludedValueOf: "note")
            }
        }
        for key in details where state.details[key] == nil {
            try await db.delete(from: "mark_details").where("pupil_id", .equal, key.pupilID)
                .where("date", .equal, key.session.date.iso).where("session", .equal, key.session.half.rawValue)
                .run()
        }
    }

    /// Reads each pupil-year's compact row (blank where there is none yet), and which were stored. On PostgreSQL
    /// the rows are made first and locked, so that concurrent saves to the same pupil's register queue rather than
    /// overwrite each other; a SQLite transaction has the one writer to itself, and writes nothing before it has
    /// judged the save.
    private func lockYearMarks(
        for keys: Set<YearKey>, on db: any SQLDatabase
    ) async throws -> (years: [YearKey: YearMarks], stored: Set<YearKey>) {
        if store.location.isPostgres {
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
        var result: [YearKey: YearMarks] = [:]
        var stored = Set<YearKey>()
        for (pupil, marks) in try await yearMarkRows(
            where: "pupil_id IN (\(binds: pupils)) AND academic_year IN (\(binds: wanted))", locking: true, on: db)
        {
            let key = YearKey(pupilID: pupil, year: marks.academicYear.startYear)
            result[key] = marks
            if marks.bytes.contains(where: { $0 != 0 }) { stored.insert(key) }
        }
        for key in keys where result[key] == nil {
            result[key] = YearMarks(academicYear: AcademicYear(startYear: key.year))
        }
        return (result, stored)
    }
}
