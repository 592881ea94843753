import AttendanceCore
import Foundation
import SQLKit

/// What a procedure run reads for its schools, read once for all of them: a run over an authority makes five
/// queries rather than five for each school (each query costs about a millisecond before its first row on SQLite).
struct ProcedureInputs {
    typealias RollEntry = (id: Int, upn: UPN, dateOfBirth: LocalDate)
    /// The pupils on each school's roll on the day, by school id, in UPN order.
    var roll: [Int: [RollEntry]] = [:]
    /// This school year's marks, by pupil id.
    var marks: [Int: YearMarks] = [:]
    /// This school year's recorded actions, by pupil id.
    var recorded: [Int: [ProcedureRepository.StoredAction]] = [:]
    /// Days on which each school reached a parent or recorded a reason, by school id, then pupil id.
    var contacted: [Int: [Int: Set<LocalDate>]] = [:]
    /// Days the Education Lead declined a school's penalty notice request, by school id, then pupil id.
    var declined: [Int: [Int: [LocalDate]]] = [:]
    /// Police contacts and missed engagement this school year, by pupil id (the penalty criteria beyond the
    /// register).
    var penaltyEvidence: [Int: PenaltyEvidence] = [:]

    /// Pupils on more than one school's roll on the day (dual registration): a run that records must read them
    /// again before each school, as the school before may have recorded for them.
    var onSeveralRolls: Set<Int> {
        var seen = Set<Int>()
        var several = Set<Int>()
        for entries in roll.values {
            for entry in entries where !seen.insert(entry.id).inserted { several.insert(entry.id) }
        }
        return several
    }
}

extension ProcedureRepository {
    /// The inputs of a run on `asOf` for one school (by id) or every school (nil).
    func procedureInputs(school: Int?, asOf: LocalDate) async throws -> ProcedureInputs {
        let year = asOf.academicYear
        var inputs = ProcedureInputs()
        let pupils: SQLQueryString =
            school.map { " AND pupil_id IN (SELECT pupil_id FROM enrolments WHERE school_id = \(bind: $0))" } ?? ""
        // The year strings are the largest read: started first, beside the roll, on the other read connection.
        async let yearStrings = yearMarksForRun(year: year, pupils: pupils, wholeAuthority: school == nil)
        let atSchool: SQLQueryString = school.map { " AND e.school_id = \(bind: $0)" } ?? ""
        var seen = Set<Int64>()
        for (schoolID, id, upn, dateOfBirth) in try await rollForRun(asOf: asOf, atSchool: atSchool) {
            // A pupil with two spells on one roll (left and rejoined) is one line.
            guard seen.insert(Int64(schoolID) << 32 | Int64(id)).inserted, let born = LocalDate(iso: dateOfBirth)
            else { continue }
            inputs.roll[schoolID, default: []].append((id, try UPN(upn), born))
        }
        inputs.marks = try await yearStrings
        inputs.recorded = try await procedureActions(where: "academic_year = \(bind: year.startYear)" + pupils)
        let ofSchool: SQLQueryString = school.map { " AND school_id = \(bind: $0)" } ?? ""
        for row in try await store.reader.raw(
            """
            SELECT school_id, pupil_id, date FROM contact_attempts
            WHERE date >= \(bind: year.firstDay.iso) AND date <= \(bind: asOf.iso)
            AND (outcome = 'reached' OR proposed_code IS NOT NULL)
            """ + ofSchool
        ).all() {
            guard let date = LocalDate(iso: try row.decode(column: "date", as: String.self)) else { continue }
            inputs.contacted[try row.decode(column: "school_id", as: Int.self), default: [:]][
                try row.decode(column: "pupil_id", as: Int.self), default: []
            ].insert(date)
        }
        let caseAtSchool: SQLQueryString = school.map { " AND c.school_id = \(bind: $0)" } ?? ""
        for row in try await store.reader.raw(
            """
            SELECT c.school_id, c.pupil_id, e.at FROM penalty_events e JOIN penalty_cases c ON c.id = e.case_id
            WHERE e.step = \(bind: PenaltyStep.decline.rawValue)
            """ + caseAtSchool
        ).all() {
            guard let day = LocalDate(iso: try row.decode(column: "at", as: String.self).prefix(10)) else { continue }
            inputs.declined[try row.decode(column: "school_id", as: Int.self), default: [:]][
                try row.decode(column: "pupil_id", as: Int.self), default: []
            ].append(day)
        }
        inputs.penaltyEvidence = try await store.penalties.penaltyEvidence(year: year, asOf: asOf, pupils: pupils)
        return inputs
    }

    /// Every school's roll on the day (or one school's), by school and then UPN, as one row of text ordered by the
    /// database as it is made: 22,000 rows handed one by one to SQLite's event loop, or decoded field by field from
    /// PostgreSQL's, cost more than the query.
    private func rollForRun(asOf: LocalDate, atSchool: SQLQueryString) async throws -> [(
        school: Int, id: Int, upn: String, dateOfBirth: String
    )] {
        let onRoll: SQLQueryString =
            """
            FROM enrolments e JOIN pupils p ON p.id = e.pupil_id
            WHERE e.on_roll_from <= \(bind: asOf.iso) AND (e.on_roll_to IS NULL OR e.on_roll_to >= \(bind: asOf.iso))
            """ + atSchool
        // A UPN is letters and digits, a date ISO: neither holds a space or a comma.
        let entry = "e.school_id || ' ' || p.id || ' ' || p.upn || ' ' || p.date_of_birth, ','"
        let aggregate = store.location.isPostgres ? "string_agg" : "group_concat"
        guard
            var text = try await store.reader.raw(
                SQLQueryString(
                    "SELECT \(unsafeRaw: aggregate)(\(unsafeRaw: entry) ORDER BY e.school_id, p.upn) AS roll ")
                    + onRoll
            ).first()?.decode(column: "roll", as: String?.self)
        else { return [] }
        return try text.withUTF8(Self.rollEntries)
    }

    /// "school id upn date,…" read byte by byte (this runs over an authority's roll in every procedure run); an
    /// entry that does not read back is `corrupt`.
    static func rollEntries(_ text: UnsafeBufferPointer<UInt8>) throws -> [(
        school: Int, id: Int, upn: String, dateOfBirth: String
    )] {
        var result: [(school: Int, id: Int, upn: String, dateOfBirth: String)] = []
        guard !text.isEmpty else { return result }
        result.reserveCapacity(text.count / 32)
        var field = 0
        var start = 0
        var numbers = (school: 0, id: 0)
        var upn = ""
        func problem() -> StoreError { StoreError.corrupt("a roll entry that does not read back") }
        for index in 0...text.count {
            let byte = index < text.count ? text[index] : UInt8(ascii: ",")
            switch (byte, field) {
            case (UInt8(ascii: "0")...UInt8(ascii: "9"), 0): numbers.school = numbers.school &* 10 &+ Int(byte &- 48)
            case (UInt8(ascii: "0")...UInt8(ascii: "9"), 1): numbers.id = numbers.id &* 10 &+ Int(byte &- 48)
            case (UInt8(ascii: " "), 0...2):
                guard index > start else { throw problem() }
                if field == 2 {
                    upn = String(decoding: UnsafeBufferPointer(rebasing: text[start..<index]), as: UTF8.self)
                }
                field += 1
                start = index + 1
            case (UInt8(ascii: ","), 3):
                guard index > start else { throw problem() }
                let date = String(decoding: UnsafeBufferPointer(rebasing: text[start..<index]), as: UTF8.self)
                result.append((numbers.school, numbers.id, upn, date))
                (field, start, numbers) = (0, index + 1, (0, 0))
            case (_, 2...3) where byte != UInt8(ascii: " ") && byte != UInt8(ascii: ","): continue
            default: throw problem()
            }
        }
        return result
    }

    /// This school year's strings of the pupils a condition selects. For the whole authority they are read in
    /// ranges of pupil ids, two at a time: SQLite builds each range's strings as one value, and sixteen megabytes
    /// in one value cost more than the same in eight.
    private func yearMarksForRun(year: AcademicYear, pupils: SQLQueryString, wholeAuthority: Bool) async throws
        -> [Int: YearMarks]
    {
        let thisYear: SQLQueryString = "academic_year = \(bind: year.startYear)"
        guard wholeAuthority,
            let bounds = try await store.reader.raw(
                "SELECT min(pupil_id) AS low, max(pupil_id) AS high FROM pupil_year_marks WHERE " + thisYear
            ).first(),
            let low = try bounds.decode(column: "low", as: Int?.self),
            let high = try bounds.decode(column: "high", as: Int?.self)
        else {
            return Dictionary(
                try await store.registers.yearMarkRows(where: thisYear + pupils).map { ($0.pupil, $0.marks) }
            ) {
                a, _ in a
            }
        }
        let ranges = stride(from: low, through: high, by: 4096).map { ($0, min($0 + 4096, high + 1)) }
        var result: [Int: YearMarks] = [:]
        for pair in ranges.chunked(2) {
            try await withThrowingTaskGroup(of: [(pupil: Int, marks: YearMarks)].self) { group in
                for (from, to) in pair {
                    group.addTask {
                        try await store.registers.yearMarkRows(
                            where: thisYear + " AND pupil_id >= \(bind: from) AND pupil_id < \(bind: to)")
                    }
                }
                for try await part in group { for (pupil, marks) in part { result[pupil] = marks } }
            }
        }
        return result
    }

    /// Reads again the marks and actions of some pupils (those on several rolls, between schools of a run).
    func refresh(_ inputs: inout ProcedureInputs, pupils: [Int], year: AcademicYear) async throws {
        for chunk in pupils.chunked(5000) where !chunk.isEmpty {
            let condition: SQLQueryString =
                "academic_year = \(bind: year.startYear) AND pupil_id IN (\(binds: Array(chunk)))"
            for id in chunk {
                inputs.marks[id] = nil
                inputs.recorded[id] = nil
            }
            for (pupil, marks) in try await store.registers.yearMarkRows(where: condition) {
                inputs.marks[pupil] = marks
            }
            inputs.recorded.merge(try await procedureActions(where: condition)) { _, new in new }
        }
    }
}
