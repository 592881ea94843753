import AttendanceCore
import Foundation
import SQLKit

/// One pupil's line in a school report.
public struct PupilSummary: Sendable, Hashable {
    public let pupil: Pupil
    public let summary: AttendanceSummary

    public init(pupil: Pupil, summary: AttendanceSummary) {
        self.pupil = pupil
        self.summary = summary
    }
}

extension RegisterRepository {
    /// Compact year strings for pupils, for every academic year a range touches.
    func yearMarks(pupils: [Int], range: DateRange) async throws -> [Int: [YearMarks]] {
        let years = Array(range.start.academicYear.startYear...range.end.academicYear.startYear)
        var result: [Int: [YearMarks]] = [:]
        for chunk in pupils.chunked(5000) {
            let condition: SQLQueryString =
                "pupil_id IN (\(binds: Array(chunk))) AND academic_year IN (\(binds: years))"
            for (pupil, marks) in try await yearMarkRows(where: condition) {
                result[pupil, default: []].append(marks)
            }
        }
        return result
    }

    /// The year strings a condition selects, as one row: the pupils, the years and the lengths as a list beside one
    /// blob of every string in the same order. SQLiteNIO hands each row to the event loop on its own, which costs
    /// more than reading the row (a school's 1,500 rows ~15 ms, one row under 2); PostgresNIO decodes each row's
    /// fields by name (an authority's 22,000 rows took ~100 ms more than on SQLite). On PostgreSQL both lists are
    /// ordered by the table's key, so they agree; on SQLite both aggregate the same rows in the same pass.
    /// `locking`: a save's own rows, locked against other writers on PostgreSQL in the table's order (an aggregate
    /// cannot lock, so these few come row by row); a SQLite transaction has the one writer to itself already.
    func yearMarkRows(
        where condition: SQLQueryString, locking: Bool = false, on db: (any SQLDatabase)? = nil
    ) async throws -> [(pupil: Int, marks: YearMarks)] {
        let db = db ?? store.reader
        if locking && store.location.isPostgres {
            return try await db.raw(
                "SELECT pupil_id, academic_year, marks FROM pupil_year_marks WHERE " + condition
                    + " ORDER BY pupil_id, academic_year FOR UPDATE"
            ).all().map { row in
                (
                    try row.decode(column: "pupil_id", as: Int.self),
                    YearMarks(
                        academicYear: AcademicYear(startYear: try row.decode(column: "academic_year", as: Int.self)),
                        bytes: Array(try row.decode(column: "marks", as: Data.self)))
                )
            }
        }
        let aggregates: SQLQueryString =
            store.location.isPostgres
            ? """
            SELECT string_agg(pupil_id || ' ' || academic_year || ' ' || length(marks), ','
            ORDER BY pupil_id, academic_year) AS keys,
            string_agg(marks, ''::bytea ORDER BY pupil_id, academic_year) AS bytes FROM pupil_year_marks WHERE
            """
            : """
            SELECT group_concat(pupil_id || ' ' || academic_year || ' ' || length(marks), ',') AS keys,
            CAST(group_concat(marks, '') AS BLOB) AS bytes FROM pupil_year_marks WHERE
            """
        guard
            let row = try await db.raw(aggregates + " " + condition).first(),
            let keys = try row.decode(column: "keys", as: String?.self)
        else { return [] }
        let data = try row.decode(column: "bytes", as: Data.self)
        return try Self.yearStrings(keys: keys, blob: data)
    }

    /// Splits the blob by the list beside it ("pupil year length,…"), read byte by byte: this runs for every
    /// pupil of an authority in a procedure run or a report. A list that does not add up is `corrupt`.
    static func yearStrings(keys: String, blob data: Data) throws -> [(pupil: Int, marks: YearMarks)] {
        var keys = keys
        return try keys.withUTF8 { list in
            try data.withUnsafeBytes { raw in
                let blob = raw.bindMemory(to: UInt8.self)
                var result: [(pupil: Int, marks: YearMarks)] = []
                var offset = 0
                var fields = (0, 0, 0)
                var field = 0
                var digits = 0
                func entry() throws {
                    let (pupil, year, length) = fields
                    guard field == 2, digits > 0, length <= blob.count - offset else {
                        throw StoreError.corrupt("a year of marks that does not read back")
                    }
                    result.append(
                        (
                            pupil,
                            YearMarks(
                                academicYear: AcademicYear(startYear: year),
                                bytes: Array(UnsafeBufferPointer(rebasing: blob[offset..<offset + length])))
                        ))
                    offset += length
                    (fields, field, digits) = ((0, 0, 0), 0, 0)
                }
                for byte in list {
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"):
                        let digit = Int(byte &- UInt8(ascii: "0"))
                        guard digits < 18 else { throw StoreError.corrupt("a year of marks that does not read back") }
                        switch field {
                        case 0: fields.0 = fields.0 * 10 + digit
                        case 1: fields.1 = fields.1 * 10 + digit
                        default: fields.2 = fields.2 * 10 + digit
                        }
                        digits += 1
                    case UInt8(ascii: " ") where field < 2 && digits > 0:
                        field += 1
                        digits = 0
                    case UInt8(ascii: ","):
                        try entry()
                    default:
                        throw StoreError.corrupt("a year of marks that does not read back")
                    }
                }
                if !list.isEmpty { try entry() }
                guard offset == blob.count else { throw StoreError.corrupt("a year of marks that does not read back") }
                return result
            }
        }
    }

    /// A pupil's summary over a range, from the compact year strings.
    public func summary(of upn: UPN, in range: DateRange) async throws -> (StoredPupil, AttendanceSummary) {
        let stored = try await store.reference.requirePupil(upn)
        let years = try await yearMarks(pupils: [stored.id], range: range)[stored.id] ?? []
        let summary = years.reduce(AttendanceSummary.empty(rules: store.rules)) {
            $0 + $1.summary(in: range, table: store.codes, rules: store.rules)
        }
        return (stored, summary)
    }

    /// One line per pupil on a school's roll during the range, counting only the days they were on its roll.
    public func schoolReport(_ laestab: LAESTAB, in range: DateRange) async throws -> [PupilSummary] {
        let school = try await store.reference.requireSchool(laestab)
        let roll = try await store.reference.roll(of: school.id, in: range)
        let years = try await yearMarks(pupils: roll.map(\.id), range: range)
        // A pupil who left and rejoined has two enrolments: add their spells together.
        var order: [Int] = []
        var lines: [Int: PupilSummary] = [:]
        for entry in roll {
            let summary = (years[entry.id] ?? []).reduce(AttendanceSummary.empty(rules: store.rules)) {
                $0 + $1.summary(in: entry.onRoll, table: store.codes, rules: store.rules)
            }
            if let earlier = lines[entry.id] {
                lines[entry.id] = PupilSummary(pupil: entry.pupil, summary: earlier.summary + summary)
            } else {
                order.append(entry.id)
                lines[entry.id] = PupilSummary(pupil: entry.pupil, summary: summary)
            }
        }
        return order.compactMap { lines[$0] }  // every id in order has its line
    }

    /// A pupil's marks in a range, in order: the register as recorded.
    public func marks(of upn: UPN, in range: DateRange) async throws -> [RecordedMark] {
        guard let id = try await ReferenceRepository.pupilIDs(for: [upn], on: store.reader)[upn] else { return [] }
        return try await store.recordedMarks(pupils: [id], in: range).map { $0.recordedMark(upn: upn) }
    }

    /// Every change to a pupil's marks, oldest first.
    public func amendments(of upn: UPN) async throws -> [Amendment] {
        let rows = try await store.sql.raw(
            """
            SELECT a.* FROM mark_amendments a JOIN pupils p ON p.id = a.pupil_id
            WHERE p.upn = \(bind: upn.value) ORDER BY a.id
            """
        ).all()
        return try rows.map { row in
            guard let date = LocalDate(iso: try row.decode(column: "date", as: String.self)),
                let half = SessionHalf(text: try row.decode(column: "session", as: String.self))
            else { throw StoreError.corrupt("an amendment with an invalid date or session") }
            return Amendment(
                upn: upn, session: SchoolSession(date, half),
                oldCode: try row.decode(column: "old_code", as: String.self),
                oldMinutesLate: try row.decode(column: "old_minutes_late", as: Int?.self),
                oldRecordedBy: try row.decode(column: "old_recorded_by", as: String.self),
                oldRecordedAt: Store.date(fromTimestamp: try row.decode(column: "old_recorded_at", as: String.self)),
                newCode: try row.decode(column: "new_code", as: String.self),
                newMinutesLate: try row.decode(column: "new_minutes_late", as: Int?.self),
                changedBy: try row.decode(column: "changed_by", as: String.self),
                changedAt: Store.date(fromTimestamp: try row.decode(column: "changed_at", as: String.self)),
                reason: try row.decode(column: "reason", as: String.self))
        }
    }
}

extension RegisterRepository {
    /// A pupil's compact marks for one school year (empty when they have none).
    public func yearMarks(of upn: UPN, year: AcademicYear) async throws -> YearMarks {
        let stored = try await store.reference.requirePupil(upn)
        return try await yearMarks(pupils: [stored.id], range: year.range)[stored.id]?.first { $0.academicYear == year }
            ?? YearMarks(academicYear: year)
    }

    /// One pupil's year on a school's roll (their spells there, clipped to the year, and their marks): what
    /// `rollYears` holds for them, read for them alone.
    public func rollYear(of upn: UPN, at laestab: LAESTAB, year: AcademicYear) async throws -> RollYear {
        let stored = try await store.reference.requirePupil(upn)
        return RollYear(
            pupil: stored.pupil,
            spells: stored.enrolments.filter { $0.school == laestab }.compactMap { $0.clip(year.range) },
            marks: try await yearMarks(pupils: [stored.id], range: year.range)[stored.id]?.first {
                $0.academicYear == year
            } ?? YearMarks(academicYear: year))
    }

    /// Every pupil on a school's roll in a school year, with the days they were on it and their marks, read once:
    /// what interventions' impact and the termly return count over.
    public func rollYears(_ laestab: LAESTAB, year: AcademicYear) async throws -> [RollYear] {
        let school = try await store.reference.requireSchool(laestab)
        let roll = try await store.reference.roll(of: school.id, in: year.range)
        let marks = try await yearMarks(pupils: roll.map(\.id), range: year.range)
        var order: [Int] = []
        var entries: [Int: (pupil: Pupil, spells: [DateRange])] = [:]
        for entry in roll {
            if entries[entry.id] == nil { order.append(entry.id) }
            entries[entry.id, default: (entry.pupil, [])].spells.append(entry.onRoll)
        }
        return order.compactMap { id in
            entries[id].map { entry in
                RollYear(
                    pupil: entry.pupil, spells: entry.spells,
                    marks: marks[id]?.first { $0.academicYear == year } ?? YearMarks(academicYear: year))
            }
        }
    }

}
