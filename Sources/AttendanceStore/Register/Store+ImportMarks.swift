import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit

extension RegisterRepository {
    /// Imports marks, all or nothing. Each line must name a known pupil on roll that day (at `school`, if
    /// given) on one of the school's sessions; a mark that differs from one already recorded is an
    /// amendment with the reason "imported from FILE". Importing the same file twice changes nothing.
    ///
    /// An import keeps the head's authority: each line is judged by the register's own rules
    /// (`RegisterRules.check`, `MedicalEvidenceRule`) against the mark it would replace. A code only someone who
    /// may authorise absence may set (or undo) needs `authorisesAt` to name the line's school; illness or an
    /// appointment after Letter 3 needs the medical evidence recorded, as on the register.
    /// - Parameter authorisesAt: the schools at which the importing account may authorise absence.
    @discardableResult
    public func importMarks(
        _ rows: [Numbered<Mark>], school: LAESTAB?, source: String, by actor: AuditActor = AuditActor("import"),
        authorisesAt: Set<LAESTAB> = [], at now: Date = Date()
    ) async throws -> MarkWriteResult {
        var only: StoredSchool?
        if let school { only = try await store.reference.requireSchool(school) }
        var upns = Set<UPN>()
        var previous: UPN? = nil
        for row in rows where row.value.upn != previous {
            previous = row.value.upn
            upns.insert(row.value.upn)
        }
        let ids = try await ReferenceRepository.pupilIDs(for: upns, on: store.sql)
        let spells = try await enrolmentSpells(pupils: Array(Set(ids.values)))
        let schools = Dictionary(uniqueKeysWithValues: try await store.reference.schools().map { ($0.id, $0) })
        var calendars: [Int: SchoolCalendar] = [:]
        var problems: [ImportProblem] = []
        var entries: [MarkEntry] = []
        entries.reserveCapacity(rows.count)
        // Each entry's line and school, for the checks on authority made once every line is read.
        var lines: [(line: Int, school: LAESTAB)] = []
        lines.reserveCapacity(rows.count)
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
                    calendar = try await store.reference.calendar(for: spellSchool.school)
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
                let closedCode = store.codes[mark.code]?.means(.schoolClosed) ?? false
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
            lines.append((row.line, day.laestab))
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        problems = try await authorityProblems(entries, lines: lines, authorisesAt: authorisesAt)
        guard problems.isEmpty else { throw ImportProblems(problems) }
        return try await writeMarks(entries, by: actor, reason: AmendmentReason.imported(from: source).stored, at: now)
    }

    /// The register's rules for each entry, against the mark it would replace: what needs someone who may
    /// authorise absence at the line's school, and illness or an appointment after Letter 3 without evidence.
    /// The marks recorded are read only for the pupils whose lines could need it.
    private func authorityProblems(
        _ entries: [MarkEntry], lines: [(line: Int, school: LAESTAB)], authorisesAt: Set<LAESTAB>
    ) async throws -> [ImportProblem] {
        let dates = entries.map(\.mark.session.date)
        guard let earliest = dates.min(), let latest = dates.max() else { return [] }
        let range = DateRange(start: earliest, notBefore: latest)
        let everywhere = Set(lines.map(\.school)).isSubset(of: authorisesAt)
        // An authoriser everywhere changes anything the register lets them: only the other rules are read.
        let recorded = everywhere ? [:] : try await yearMarks(pupils: Array(Set(entries.map(\.pupilID))), range: range)
        var letter3: [Int: LocalDate?] = [:]
        var evidence: [Int: [DateRange]] = [:]
        var problems: [ImportProblem] = []
        for (entry, place) in zip(entries, lines) {
            guard let new = store.codes[entry.mark.code] else { continue }  // the parser knows every code
            let session = entry.mark.session
            let old = recorded[entry.pupilID]?.first { $0.academicYear == session.date.academicYear }
                .flatMap { store.codes.code(id: $0[session]) }
            do throws(RegisterRules.Refusal) {
                try RegisterRules.check(
                    from: old, to: new, canAuthorise: authorisesAt.contains(place.school), registerCodesOnly: false,
                    half: session.half, begun: true, codes: store.codes)
            } catch {
                switch error {
                case .needsAuthorisation(let code):
                    problems.append(
                        ImportProblem(
                            line: place.line,
                            "code: \(code) (or changing \(old?.code ?? "no mark")) needs someone who may authorise "
                                + "absence at \(place.school): import as such an account (--as)"))
                case .wrongHalf(let code):
                    problems.append(
                        ImportProblem(line: place.line, "code: \(code) is not \(session.half)'s present mark"))
                case .notARegisterCode, .notYet: break  // an import is neither a form tutor nor ahead of time
                }
                continue
            }
            guard new.means(.illness) || new.means(.medical) else { continue }
            if letter3[entry.pupilID] == nil {
                letter3[entry.pupilID] = try await store.medical.letter3Sent(
                    upn: entry.mark.upn, school: place.school, year: session.date.academicYear)
                evidence[entry.pupilID] = try await store.medical.medicalEvidence(of: entry.mark.upn).map(\.days)
            }
            if MedicalEvidenceRule.needsEvidence(
                new, on: session.date, letter3Sent: letter3[entry.pupilID] ?? nil,
                evidence: evidence[entry.pupilID] ?? [])
            {
                problems.append(
                    ImportProblem(
                        line: place.line,
                        "code: \(new.code) after Letter 3 needs the medical evidence recorded for \(session.date)"))
            }
        }
        return problems
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
            let rows = try await store.sql.raw(
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
