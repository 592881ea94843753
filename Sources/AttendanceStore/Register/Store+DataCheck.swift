import AttendanceCore
import Foundation
import SQLKit

/// A run of the data check for a school: when, by whom, and every problem it found (`DataCheck` in the core).
public struct DataCheckRun: Sendable, Hashable {
    public let school: LAESTAB
    /// The school day it checked as of, and the moment it ran (the record's timestamp, UTC).
    public let checkedOn: LocalDate
    public let at: String
    public let by: String
    public let problems: [DataProblem]

    /// How many problems of each kind (a kind with none is absent).
    public var counts: [DataProblem.Kind: Int] { Dictionary(problems.map { ($0.kind, 1) }, uniquingKeysWith: +) }
}

extension RegisterRepository {
    /// Runs the data check over every pupil on the school's roll at any time this school year, records the run
    /// and returns it.
    public func checkData(
        _ laestab: LAESTAB, today: LocalDate, noMarksSchoolDays: Int, by actor: AuditActor, at now: Date = Date()
    ) async throws -> DataCheckRun {
        let school = try await store.reference.requireSchool(laestab)
        let calendar = try await store.reference.calendar(for: school.school)
        let year = today.academicYear
        let roll = try await store.reference.roll(of: school.id, in: year.range)
        var upns: [Int: UPN] = [:]
        for entry in roll { upns[entry.id] = entry.pupil.upn }
        let ids = Array(upns.keys).sorted()
        var enrolments: [Int: [Enrolment]] = [:]
        for chunk in ids.chunked(5000) {
            for row in try await store.reader.raw(
                """
                SELECT e.pupil_id, s.laestab, e.on_roll_from, e.on_roll_to, e.leaving_reason FROM enrolments e
                JOIN schools s ON s.id = e.school_id WHERE e.pupil_id IN (\(binds: Array(chunk)))
                """
            ).all() {
                enrolments[try row.decode(column: "pupil_id", as: Int.self), default: []].append(
                    try ReferenceRepository.enrolment(from: row))
            }
        }
        // This school year's strings and the next one's (a mark there is in the future too).
        let next = AcademicYear(startYear: year.startYear + 1)
        let years = try await yearMarks(pupils: ids, range: DateRange(year.firstDay, next.lastDay) ?? year.range)
        let problems = ids.flatMap { id -> [DataProblem] in
            guard let upn = upns[id] else { return [] }
            return DataCheck.problems(
                upn: upn, at: laestab,
                enrolments: enrolments[id] ?? [], years: years[id] ?? [], calendar: calendar, today: today,
                noMarksSchoolDays: noMarksSchoolDays)
        }.sorted { ($0.kind.rawValue, $0.upn, $0.from) < ($1.kind.rawValue, $1.upn, $1.from) }
        let run = DataCheckRun(
            school: laestab, checkedOn: today, at: Timestamp.text(now), by: actor.name, problems: problems)
        let encoded = String(decoding: try JSONEncoder().encode(problems), as: UTF8.self)
        try await store.sql.insert(into: "data_checks").columns(
            "school_id", "checked_on", "checked_at", "by", "problems"
        )
        .values(
            SQLBind(school.id), SQLBind(today.iso), SQLBind(run.at), SQLBind(actor.name), SQLBind(encoded)
        ).run()
        return run
    }

    /// The school's latest data check, if it has had one.
    public func lastDataCheck(_ laestab: LAESTAB) async throws -> DataCheckRun? {
        let school = try await store.reference.requireSchool(laestab)
        guard
            let row = try await store.reader.select().columns("checked_on", "checked_at", "by", "problems")
                .from("data_checks").where("school_id", .equal, school.id).orderBy("id", .descending).limit(1).first()
        else { return nil }
        return try run(row, of: laestab)
    }

    /// Every school's latest data check, in one query: the authority's reports say each school's state.
    public func lastDataChecks() async throws -> [LAESTAB: DataCheckRun] {
        let schools = Dictionary(
            try await store.reference.schools().map { ($0.id, $0.school.laestab) }, uniquingKeysWith: { a, _ in a })
        let rows = try await store.reader.raw(
            """
            SELECT d.school_id, d.checked_on, d.checked_at, d."by", d.problems FROM data_checks d
            WHERE d.id = (SELECT max(id) FROM data_checks l WHERE l.school_id = d.school_id)
            """
        ).all()
        var runs: [LAESTAB: DataCheckRun] = [:]
        for row in rows {
            guard let laestab = schools[try row.decode(column: "school_id", as: Int.self)] else { continue }
            runs[laestab] = try run(row, of: laestab)
        }
        return runs
    }

    private func run(_ row: any SQLRow, of laestab: LAESTAB) throws -> DataCheckRun {
        guard let day = LocalDate(iso: try row.decode(column: "checked_on", as: String.self)),
            let problems = try? JSONDecoder().decode(
                [DataProblem].self, from: Data(try row.decode(column: "problems", as: String.self).utf8))
        else { throw StoreError.corrupt("a data check that does not read back") }
        return DataCheckRun(
            school: laestab, checkedOn: day, at: try row.decode(column: "checked_at", as: String.self),
            by: try row.decode(column: "by", as: String.self), problems: problems)
    }
}
