import AttendanceCore
import Foundation
import SQLKit

/// One line of a procedure run: a pupil, their school, and an action due.
public struct ProcedureLine: Sendable, Hashable {
    public let upn: UPN
    public let school: LAESTAB
    public let due: DueAction
    /// Already recorded before this run (listed by a dry run, not recorded again).
    public let alreadyRecorded: Bool
    /// For an action this run withdrew: the correction that took the pupil back under its line.
    public var withdrawnBecause: String? = nil
}

public struct ProcedureRunResult: Sendable, Hashable {
    public var lines: [ProcedureLine] = []
    public var recorded = 0
    public var withdrawn = 0
    public var convertedToO = 0
}

extension ProcedureRepository {
    /// The reason written on each N turned into O by the procedure, with the policy's number of days.
    public static func noReasonConversion(_ policy: Policy) -> String {
        AmendmentReason.noReasonReceived(schoolDays: policy.noReasonSchoolDays).stored
    }

    /// The note on a pending action closed because its school year is over.

    /// Runs the procedure for every pupil on roll on `asOf` (at one school, or all); the daily run
    /// (`schoolDaysOnly`) only at schools for which the day is a school day. A dry run only lists; otherwise new actions are recorded, pending ones that a correction
    /// has made no longer due are withdrawn naming that correction, last school year's pending actions are closed
    /// as "school year ended", and N marks past the policy's limit are amended to O by the system user. Only this
    /// school year's actions count: each action is once per pupil per school year. Running twice the same day
    /// records nothing new.
    @discardableResult
    public func runProcedure(
        policy: Policy, asOf: LocalDate, school only: LAESTAB? = nil, dryRun: Bool, schoolDaysOnly: Bool = false,
        at now: Date = Date()
    ) async throws -> ProcedureRunResult {
        let engine = ProcedureEngine(policy: policy, codes: store.codes)
        let year = asOf.academicYear
        var result = ProcedureRunResult()
        let allSchools = try await store.reference.schools()
        let laestabs = Dictionary(uniqueKeysWithValues: allSchools.map { ($0.id, $0.school.laestab) })
        let running = allSchools.filter { only == nil || $0.school.laestab == only }
        var inputs = try await procedureInputs(school: only == nil ? nil : running.first?.id, asOf: asOf)
        let severalRolls = inputs.onSeveralRolls
        var pieces: [[ProcedureLine]] = []
        for school in running {
            let calendar = try await store.reference.calendar(for: school.school)
            if schoolDaysOnly && !calendar.isSchoolDay(asOf) { continue }
            if !dryRun {
                try await closeEarlierYears(schoolID: school.id, school: school.school.laestab, year: year, at: now)
            }
            let roll = inputs.roll[school.id] ?? []
            if !dryRun, !severalRolls.isEmpty {
                try await refresh(&inputs, pupils: roll.map(\.id).filter(severalRolls.contains), year: year)
            }
            let marks = inputs.marks
            let recorded = inputs.recorded
            let contacted = inputs.contacted[school.id] ?? [:]
            let declined = inputs.declined[school.id] ?? [:]
            let evidence = inputs.penaltyEvidence
            let days = ProcedureEngine.Days(calendar: calendar, year: year, asOf: asOf, policy: policy)
            // The rules are pure: both cores share a school's pupils, each part making its own lines too (in
            // the order of the roll once the parts are joined).
            let laestab = school.school.laestab
            let parts = Array(roll.indices).chunked(max(64, (roll.count + 1) / 2))
            let ran = await withTaskGroup(of: (Int, [ProcedureEngine.Outcome], [ProcedureLine]).self) { group in
                for (number, part) in parts.enumerated() {
                    group.addTask {
                        var outcomes: [ProcedureEngine.Outcome] = []
                        outcomes.reserveCapacity(part.count)
                        var lines: [ProcedureLine] = []
                        for index in part {
                            let entry = roll[index]
                            let yearMarks = marks[entry.id] ?? YearMarks(academicYear: year)
                            let pupilActions = recorded[entry.id] ?? []
                            let outcome = engine.run(
                                marks: yearMarks, days: days, recorded: pupilActions.map(\.action),
                                letter3Sent: pupilActions.first {
                                    $0.action.action == .letter3 && $0.action.status == .done
                                }?.statusDate,
                                compulsoryAge: CompulsorySchoolAge(dateOfBirth: entry.dateOfBirth)
                                    .isOfCompulsorySchoolAge(on: asOf),
                                contacted: contacted[entry.id] ?? [], penaltyDeclined: declined[entry.id] ?? [],
                                penaltyEvidence: evidence[entry.id] ?? .none)
                            // Everything due is new for most pupils: their keys need not be compared.
                            let allNew = outcome.new.count == outcome.due.count
                            let fresh = allNew ? [] : Set(outcome.new.map(\.dueKey))
                            for due in outcome.due {
                                lines.append(
                                    ProcedureLine(
                                        upn: entry.upn, school: laestab, due: due,
                                        alreadyRecorded: !allNew && !fresh.contains(due.dueKey)))
                            }
                            outcomes.append(outcome)
                        }
                        return (number, outcomes, lines)
                    }
                }
                var all = [([ProcedureEngine.Outcome], [ProcedureLine])](repeating: ([], []), count: parts.count)
                for await (number, outcomes, lines) in group { all[number] = (outcomes, lines) }
                return all
            }
            pieces += ran.map(\.1)
            guard !dryRun else { continue }
            var newRows: [NewActionRow] = []
            var withdrawals: [(pupilID: Int, upn: UPN, action: RecordedAction)] = []
            var conversions: [MarkEntry] = []
            for (entry, outcome) in zip(roll, ran.flatMap(\.0)) {
                for due in outcome.new {
                    newRows.append(
                        NewActionRow(
                            pupilID: entry.id, key: due.key, basis: due.basis, count: due.count,
                            sessions: due.sessions.map(\.description).joined(separator: ","),
                            status: due.action == .nToO ? "done" : "pending",
                            values: [
                                entry.id, school.id, year.startYear, due.key, due.action.rawValue, due.basis,
                                due.count, due.sessions.map(\.description).joined(separator: ","),
                                due.action == .nToO ? "done" : "pending", asOf.iso, AuditActor.system.name,
                                Timestamp.text(now),
                            ]))
                    if due.action == .nToO, let session = due.sessions.first,
                        let o = store.codes.code(meaning: .otherUnauthorised)
                    {
                        conversions.append(
                            MarkEntry(
                                pupilID: entry.id, schoolID: school.id,
                                mark: Mark(upn: entry.upn, session: session, code: o.code),
                                expected: .code(store.codes.noReasonYet.code)))
                    }
                }
                withdrawals += outcome.withdraw.map { (entry.id, entry.upn, $0) }
            }
            // Only a correction withdraws: a person's amendment made since the action was recorded, named in the
            // withdrawal. Without one (attendance improving by itself, say) the action stays for a person.
            var causes: [String: ActionNote.Correction] = [:]
            var confirmed: [(pupilID: Int, upn: UPN, action: RecordedAction)] = []
            let stored = Dictionary(
                recorded.values.flatMap { $0 }.map { ("\($0.pupilID) \($0.action.key)", $0) },
                uniquingKeysWith: { a, _ in a })
            for item in withdrawals {
                let original = stored["\(item.pupilID) \(item.action.key)"]
                let since = original?.recordedAt
                // An action about particular sessions (no contact in a spell, evidence for an absence) is undone
                // only by a correction of one of them.
                let about = item.action.action.isAboutItsSessions ? original.map { Set($0.due.sessions) } : nil
                guard
                    let cause = try await store.registers.amendments(of: item.upn).last(where: { amendment in
                        amendment.changedBy != AuditActor.system.name
                            && (since.map { amendment.changedAt >= $0 } ?? true)
                            && (about?.contains(amendment.session) ?? true)
                    })
                else { continue }
                causes["\(item.pupilID) \(item.action.key)"] = ActionNote.Correction(
                    session: cause.session, from: cause.oldCode ?? "-", to: cause.newCode, by: cause.changedBy,
                    reason: cause.reason)
                confirmed.append(item)
            }
            for item in confirmed {
                let key = "\(item.pupilID) \(item.action.key)"
                pieces.append([
                    ProcedureLine(
                        upn: item.upn, school: school.school.laestab,
                        due: stored[key]?.due
                            ?? DueAction(
                                action: item.action.action, basis: "", count: 0, sessions: [], key: item.action.key),
                        alreadyRecorded: true, withdrawnBecause: causes[key]?.stored)
                ])
            }
            let causedBy = causes
            let withdrawn = confirmed
            let rows = newRows
            // A withdrawn key that is due again is put back to pending rather than added twice.
            let reopened = Set(
                recorded.values.flatMap { $0 }.filter { $0.action.status == .withdrawn }.map {
                    "\($0.pupilID) \($0.action.key)"
                })
            let conversionsToWrite = conversions
            let converted = try await store.transaction { db -> Int in
                // N to O first, in the same transaction as the actions that record it.
                let written = try await store.registers.writeMarks(
                    conversionsToWrite, by: .system, reason: Self.noReasonConversion(policy), at: now,
                    laestabs: laestabs,
                    on: db)
                for row in rows {
                    let pupilID = row.pupilID
                    let key = row.key
                    if reopened.contains("\(pupilID) \(key)") {
                        try await db.update("procedure_actions").set("status", to: row.status)
                            .set("basis", to: row.basis).set("count", to: row.count)
                            .set("sessions", to: row.sessions).set("due_on", to: asOf.iso)
                            .set("status_changed_by", to: AuditActor.system.name).set(
                                "status_changed_at", to: Timestamp.text(now)
                            )
                            .set("status_note", to: ActionNote.dueAgain.stored)
                            .where("pupil_id", .equal, pupilID).where("key", .equal, key).run()
                    } else {
                        // Two runs at once (two people pressing "Run" together) find the same new actions:
                        // whichever commits first records them, and the other adds nothing.
                        try await db.insertRows(
                            into: "procedure_actions",
                            columns: [
                                "pupil_id", "school_id", "academic_year", "key", "action", "basis", "count", "sessions",
                                "status", "due_on", "recorded_by", "recorded_at",
                            ], rows: [row.values]
                        ) { $0.ignoringConflicts(with: ["pupil_id", "key"]) }
                    }
                }
                for item in withdrawn {
                    try await db.update("procedure_actions").set("status", to: "withdrawn")
                        .set("status_changed_by", to: AuditActor.system.name).set(
                            "status_changed_at", to: Timestamp.text(now)
                        )
                        .set(
                            "status_note",
                            to: ActionNote.noLongerDue(
                                on: asOf, because: causedBy["\(item.pupilID) \(item.action.key)"]
                            ).stored
                        )
                        .where("pupil_id", .equal, item.pupilID).where("key", .equal, item.action.key).run()
                }
                try await Store.audit(
                    rows.map { row in
                        AuditEvent(
                            at: now, actor: .system, action: "procedure.recorded", school: laestab,
                            subject: row.key,
                            after: auditJSON(["count": String(row.count), "basis": row.basis]))
                    }
                        + withdrawn.map {
                            AuditEvent(
                                at: now, actor: .system, action: "procedure.withdrawn", school: laestab, upn: $0.upn,
                                subject: $0.action.key,
                                reason: AmendmentReason.noLongerDueAfterCorrection.stored
                                    + (causedBy["\($0.pupilID) \($0.action.key)"].map { " (\($0.stored))" } ?? ""))
                        }, on: db)
                try await db.insert(into: "procedure_runs").columns("school_id", "as_of", "recorded", "withdrawn", "at")
                    .values(
                        SQLBind(school.id), SQLBind(asOf.iso), SQLBind(rows.count), SQLBind(withdrawn.count),
                        SQLBind(Timestamp.text(now))
                    ).run()
                return written.amended
            }
            result.convertedToO += converted
            result.recorded += rows.count
            result.withdrawn += withdrawn.count
        }
        // Joined once, at their full size: appended school by school, the lines were copied as they grew.
        result.lines.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
        for piece in pieces { result.lines += piece }
        return result
    }

    /// Closes a school's actions still pending from earlier school years: each action is once per pupil per
    /// school year, so last year's are neither due nor withdrawn now; they end with the year.
    func closeEarlierYears(schoolID: Int, school: LAESTAB, year: AcademicYear, at now: Date) async throws {
        let rows = try await store.sql.select().columns("id", "key").from("procedure_actions")
            .where("school_id", .equal, schoolID).where("status", .equal, RecordedAction.Status.pending.rawValue)
            .where("academic_year", .lessThan, year.startYear).all()
        guard !rows.isEmpty else { return }
        let keys = try rows.map { try $0.decode(column: "key", as: String.self) }
        try await store.transaction { db in
            try await db.update("procedure_actions").set("status", to: RecordedAction.Status.yearEnded.rawValue)
                .set("status_changed_by", to: AuditActor.system.name).set("status_changed_at", to: Timestamp.text(now))
                .set("status_note", to: ActionNote.yearEnded.stored)
                .where("school_id", .equal, schoolID).where("status", .equal, RecordedAction.Status.pending.rawValue)
                .where("academic_year", .lessThan, year.startYear).run()
            try await Store.audit(
                keys.map {
                    AuditEvent(
                        at: now, actor: .system, action: "procedure.year_ended", school: school, subject: $0,
                        reason: ActionNote.yearEnded.stored)
                }, on: db)
        }
    }

    struct StoredAction {
        let pupilID: Int
        let action: RecordedAction
        let statusDate: LocalDate?
        let recordedAt: Date?
        /// What it was recorded with: why, how many, which sessions.
        let due: DueAction
    }

    /// The actions a condition on `procedure_actions` selects, by pupil id (a run asks for one school year's:
    /// an earlier year's never count towards this one's).
    func procedureActions(where condition: SQLQueryString) async throws -> [Int: [StoredAction]] {
        var result: [Int: [StoredAction]] = [:]
        do {
            let rows = try await store.reader.raw(
                """
                SELECT pupil_id, "key", action, status, status_changed_at, recorded_at, basis, "count", sessions
                FROM procedure_actions WHERE
                """ + " " + condition
            ).all()
            for row in rows {
                guard let action = ProcedureAction(rawValue: try row.decode(column: "action", as: String.self)),
                    let status = RecordedAction.Status(rawValue: try row.decode(column: "status", as: String.self))
                else { continue }
                let pupilID = try row.decode(column: "pupil_id", as: Int.self)
                let changed = try row.decode(column: "status_changed_at", as: String?.self).flatMap {
                    LocalDate(iso: $0.prefix(10))
                }
                result[pupilID, default: []].append(
                    StoredAction(
                        pupilID: pupilID,
                        action: RecordedAction(
                            key: try row.decode(column: "key", as: String.self), action: action, status: status),
                        statusDate: changed,
                        recordedAt: try row.decode(column: "recorded_at", as: String?.self).map(
                            Store.date(fromTimestamp:)),
                        due: DueAction(
                            action: action, basis: try row.decode(column: "basis", as: String.self),
                            count: try row.decode(column: "count", as: Int.self),
                            sessions: try row.decode(column: "sessions", as: String.self).split(separator: ",")
                                .compactMap { SchoolSession(text: $0) },
                            key: try row.decode(column: "key", as: String.self))))
            }
        }
        return result
    }
}

/// An action the run records: the fields it reads again (to put a withdrawn action back, to audit it) beside the
/// row it inserts.
private struct NewActionRow: Sendable {
    let pupilID: Int
    let key: String
    let basis: String
    let count: Int
    let sessions: String
    let status: String
    let values: [SQLValue]
}
