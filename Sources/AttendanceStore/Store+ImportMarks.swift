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
        var schoolDay: SchoolDayCheck? = nil
        for row in rows {
            let mark = row.value
            if pupil?.upn != mark.upn {
                guard let pupilID = ids[mark.upn] else {
                    problems.append(ImportProblem(line: row.line, "upn: no pupil has the UPN \(mark.upn)"))
                    continue
                }
                pupil = (mark.upn, pupilID, spells[pupilID] ?? [])
            }
            guard let current = pupil else { continue }  // set just above for this row's UPN
            let pupilID = current.id
            let date = mark.session.date
            guard
                let spell = current.spells.first(where: { spell in
                    spell.range(contains: date) && (only.map { spell.schoolID == $0.id } ?? true)
                })
            else {
                let place = only.map { " at \($0.school.laestab)" } ?? ""
                problems.append(ImportProblem(line: row.line, "date: \(mark.upn) is not on roll\(place) on \(date)"))
                continue
            }
            let day: SchoolDayCheck
            if let last = schoolDay, last.school == spell.schoolID, last.date == date {
                day = last
            } else {
                guard let spellSchool = schools[spell.schoolID] else {
                    throw StoreError.corrupt("an enrolment at a school row that does not exist")
                }
                let calendar: SchoolCalendar
                if let held = calendars[spell.schoolID] {
                    calendar = held
                } else {
                    calendar = try await self.calendar(for: spellSchool.school)
                    calendars[spell.schoolID] = calendar
                }
                day = SchoolDayCheck(
                    school: spell.schoolID, laestab: spellSchool.school.laestab, date: date,
                    open: calendar.isSchoolDay(date), calendar: calendar)
                schoolDay = day
            }
            if !day.open {
                let calendar = day.calendar
                // The "school closed" code may stand on a closed weekday in term; nothing else may.
                let closedCode = codes[mark.code]?.means(.schoolClosed) ?? false
                if !(closedCode && !date.isWeekend && calendar.term(containing: date) != nil) {
                    let why = calendar.closure(on: date)?.name ?? (date.isWeekend ? "a weekend" : "outside the terms")
                    problems.append(
                        ImportProblem(
                            line: row.line,
                            "date: \(date) is not a school day at \(day.laestab) (\(why))"))
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

/// The last school day an import checked, with what it found: most rows ask about the same one.
private struct SchoolDayCheck {
    let school: Int
    let laestab: LAESTAB
    let date: LocalDate
    let open: Bool
    let calendar: SchoolCalendar
}
