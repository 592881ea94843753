import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit

extension Store {
    /// Imports marks, all or nothing. Each line must name a known pupil on roll that day (at `school`, if
    /// given) on one of the school's sessions; a mark that differs from one already recorded is an
    /// amendment with the reason "imported from FILE". Importing the same file twice changes nothing.
    @discardableResult
    public func importMarks(
        _ rows: [Numbered<Mark>], school: LAESTAB?, source: String, by actor: AuditActor = AuditActor("import"),
        at now: Date = Date()
    ) async throws -> MarkWriteResult {
        var only: StoredSchool?
        if let school { only = try await requireSchool(school) }
        var upns = Set<UPN>()
        var previous: UPN? = nil
        for row in rows where row.value.upn != previous {
            previous = row.value.upn
            upns.insert(row.value.upn)
        }
        let ids = try await Self.pupilIDs(for: upns, on: sql)
        let spells = try await enrolmentSpells(pupils: Array(Set(ids.values)))
        let schools = Dictionary(uniqueKeysWithValues: try await schools().map { ($0.id, $0) })
        var calendars: [Int: SchoolCalendar] = [:]
        var problems: [ImportProblem] = []
        var entries: [MarkEntry] = []
        entries.reserveCapacity(rows.count)
        // A file runs pupil by pupil and day by day: the last pupil's spells and the last day's answer serve most rows.
        var pupil: (upn: UPN, id: Int, spells: [EnrolmentSpell])? = nil
        var schoolDay: (school: Int, date: LocalDate, open: Bool)? = nil
        for row in rows {
            let mark = row.value
            if pupil?.upn != mark.upn {
                guard let pupilID = ids[mark.upn] else {
                    problems.append(ImportProblem(line: row.line, "upn: no pupil has the UPN \(mark.upn)"))
                    continue
                }
                pupil = (mark.upn, pupilID, spells[pupilID] ?? [])
            }
            let pupilID = pupil!.id
            let date = mark.session.date
            guard
                let spell = pupil!.spells.first(where: {
                    $0.range(contains: date) && (only == nil || $0.schoolID == only!.id)
                })
            else {
                let place = only.map { " at \($0.school.laestab)" } ?? ""
                problems.append(ImportProblem(line: row.line, "date: \(mark.upn) is not on roll\(place) on \(date)"))
                continue
            }
            if schoolDay?.school != spell.schoolID || schoolDay?.date != date {
                if calendars[spell.schoolID] == nil {
                    calendars[spell.schoolID] = try await calendar(for: schools[spell.schoolID]!.school)
                }
                schoolDay = (spell.schoolID, date, calendars[spell.schoolID]!.isSchoolDay(date))
            }
            if !schoolDay!.open {
                let calendar = calendars[spell.schoolID]!
                // The "school closed" code may stand on a closed weekday in term; nothing else may.
                let closedCode = codes[mark.code]?.means(.schoolClosed) ?? false
                if !(closedCode && !date.isWeekend && calendar.term(containing: date) != nil) {
                    let why = calendar.closure(on: date)?.name ?? (date.isWeekend ? "a weekend" : "outside the terms")
                    problems.append(
                        ImportProblem(
                            line: row.line,
                            "date: \(date) is not a school day at \(schools[spell.schoolID]!.school.laestab) (\(why))"))
                    continue
                }
            }
            entries.append(MarkEntry(pupilID: pupilID, schoolID: spell.schoolID, mark: mark))
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        return try await writeMarks(entries, by: actor, reason: AmendmentReason.imported(from: source).stored, at: now)
    }

    struct EnrolmentSpell {
        let schoolID: Int
        let from: LocalDate
        let to: LocalDate?

        func range(contains date: LocalDate) -> Bool { date >= from && (to.map { date <= $0 } ?? true) }
    }

    func enrolmentSpells(pupils: [Int]) async throws -> [Int: [EnrolmentSpell]] {
        var result: [Int: [EnrolmentSpell]] = [:]
        for chunk in pupils.chunked(5000) {
            let rows = try await sql.raw(
                """
                SELECT pupil_id, school_id, on_roll_from, on_roll_to FROM enrolments
                WHERE pupil_id IN (\(binds: Array(chunk)))
                """
            ).all()
            for row in rows {
                guard let from = LocalDate(iso: try row.decode(column: "on_roll_from", as: String.self)) else {
                    continue
                }
                let spell = EnrolmentSpell(
                    schoolID: try row.decode(column: "school_id", as: Int.self), from: from,
                    to: try row.decode(column: "on_roll_to", as: String?.self).flatMap { LocalDate(iso: $0) })
                result[try row.decode(column: "pupil_id", as: Int.self), default: []].append(spell)
            }
        }
        return result
    }
}
