import AttendanceCore
import Foundation
import SQLKit

/// What the retention schedule removes on a day, by kind of record: the dry run an operator reads before anything is
/// removed, and what a run removed.
public struct RetentionDue: Sendable, Hashable {
    public let record: RetainedRecord
    /// The first school year kept; rows of earlier years are due.
    public let keptFrom: AcademicYear
    /// Rows due to be removed, over the kind's tables (for registers: pupils' years of marks, who recorded them,
    /// the marks' details and the changes made to them).
    public let rows: Int
    /// The earliest school year among them.
    public let oldest: AcademicYear?
}

/// One table's part of a kind of record: the rows due, and the column that dates them (a school year's number, or
/// a day or moment as ISO text, which sorts as it reads).
struct RetentionCut {
    let table: String
    let due: SQLQueryString
    let dates: String
    let byYear: Bool
}

extension DataProtectionRepository {
    /// The kinds in the order they are cut: letters before the procedure's actions they were made for, and the audit
    /// trail, which tells the history of all the rest, last.
    static let cuttingOrder: [RetainedRecord] = [
        .registers, .letters, .procedureActions, .eswCases, .penaltyCases, .auditTrail,
    ]

    /// Each kind's tables, dependents first, with the rows of each that are due when `kept` is the first school year
    /// kept. Nothing a rule keeps goes: a letter stays while a delivery of it is kept, an action while a letter
    /// made for it is, an ESW case until it is closed, a penalty case while a notice of it is outstanding or before
    /// the courts, and the audit trail's lines about retention itself.
    static func cuts(_ record: RetainedRecord, keptFrom kept: AcademicYear) -> [RetentionCut] {
        let year = kept.startYear
        let before = kept.firstDay.iso
        switch record {
        case .registers:
            return [
                RetentionCut(table: "mark_amendments", due: "date < \(bind: before)", dates: "date", byYear: false),
                RetentionCut(table: "mark_details", due: "date < \(bind: before)", dates: "date", byYear: false),
                RetentionCut(
                    table: "pupil_year_recordings", due: "academic_year < \(bind: year)", dates: "academic_year",
                    byYear: true),
                RetentionCut(
                    table: "pupil_year_marks", due: "academic_year < \(bind: year)", dates: "academic_year",
                    byYear: true),
                // Devices' keys for the saves they sent (a key's only use is the days after its save).
                RetentionCut(
                    table: "register_saves", due: "received_at < \(bind: before)", dates: "received_at", byYear: false),
                // Lesson registers are registers too (issue 38): their marks' changes, their marks, the registers,
                // and the day's cover and same-day findings, by the lesson's day.
                RetentionCut(
                    table: "lesson_mark_amendments",
                    due: """
                        lesson_mark_id IN (SELECT m.id FROM lesson_marks m JOIN lesson_registers r
                        ON r.id = m.lesson_register_id WHERE r.date < \(bind: before))
                        """, dates: "changed_at", byYear: false),
                RetentionCut(
                    table: "lesson_marks",
                    due: "lesson_register_id IN (SELECT id FROM lesson_registers WHERE date < \(bind: before))",
                    dates: "recorded_at", byYear: false),
                RetentionCut(table: "lesson_registers", due: "date < \(bind: before)", dates: "date", byYear: false),
                RetentionCut(table: "lesson_covers", due: "date < \(bind: before)", dates: "date", byYear: false),
                RetentionCut(table: "same_day_checks", due: "date < \(bind: before)", dates: "date", byYear: false),
            ]
        case .letters:
            return [
                RetentionCut(
                    table: "delivery_attempts",
                    due: "delivery_id IN (SELECT id FROM deliveries WHERE created_at < \(bind: before))", dates: "at",
                    byYear: false),
                RetentionCut(
                    table: "deliveries", due: "created_at < \(bind: before)", dates: "created_at", byYear: false),
                RetentionCut(
                    table: "letters",
                    due: """
                        produced_at < \(bind: before)
                        AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.letter_id = letters.id)
                        """,
                    dates: "produced_at", byYear: false),
            ]
        case .procedureActions:
            return [
                RetentionCut(
                    table: "procedure_actions",
                    due: """
                        academic_year < \(bind: year)
                        AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.action_id = procedure_actions.id)
                        """,
                    dates: "academic_year", byYear: true)
            ]
        case .eswCases:
            let cases: SQLQueryString =
                "SELECT id FROM esw_cases WHERE referred_on < \(bind: before) AND status = 'closed'"
            return [
                RetentionCut(table: "esw_events", due: "case_id IN (\(cases))", dates: "at", byYear: false),
                RetentionCut(
                    table: "plan_reviews",
                    due: "plan_id IN (SELECT id FROM improvement_plans WHERE case_id IN (\(cases)))",
                    dates: "at", byYear: false),
                RetentionCut(table: "improvement_plans", due: "case_id IN (\(cases))", dates: "start", byYear: false),
                RetentionCut(table: "attendance_panels", due: "case_id IN (\(cases))", dates: "on_day", byYear: false),
                RetentionCut(table: "esw_cases", due: "id IN (\(cases))", dates: "referred_on", byYear: false),
            ]
        case .penaltyCases:
            let cases: SQLQueryString = """
                SELECT id FROM penalty_cases c WHERE c.opened_at < \(bind: before) AND NOT EXISTS (
                SELECT 1 FROM penalty_notices n WHERE n.case_id = c.id
                AND n.status IN ('issued', 'unpaid', 'prosecution_referred'))
                """
            return [
                RetentionCut(table: "penalty_events", due: "case_id IN (\(cases))", dates: "at", byYear: false),
                RetentionCut(table: "penalty_packs", due: "case_id IN (\(cases))", dates: "made_at", byYear: false),
                RetentionCut(table: "penalty_notices", due: "case_id IN (\(cases))", dates: "issued_on", byYear: false),
                RetentionCut(table: "penalty_cases", due: "id IN (\(cases))", dates: "opened_at", byYear: false),
            ]
        case .auditTrail:
            // Retention's own lines (its dry runs and runs) are the record of what was removed, when and by whom:
            // kept, and so never counted between a dry run and the run that follows it.
            return [
                RetentionCut(
                    table: "audit_events", due: "at < \(bind: before) AND action NOT LIKE 'retention.%'", dates: "at",
                    byYear: false)
            ]
        }
    }

    /// The dry run: what a retention run on `day` would remove, kind by kind. It is that run itself, made and then
    /// rolled back, so that what it lists is exactly what a run removes.
    public func retentionDue(_ schedule: RetentionSchedule, on day: LocalDate) async throws -> [RetentionDue] {
        struct DryRun: Error { let due: [RetentionDue] }
        do {
            _ = try await store.transaction { db -> Int in
                let due = try await Self.cut(schedule, on: day, by: "dry run", on: db)
                throw DryRun(due: due)
            }
        } catch let dryRun as DryRun {
            return dryRun.due
        }
        throw StoreError.corrupt("the retention dry run was not rolled back")
    }

    /// Removes what the schedule makes due on `day`, as a recorded run: a `retention_runs` row with who, when, the
    /// schedule and the rows removed, and an audit line. `expecting` is the total the dry run listed: when the
    /// rows due are not that many now, nothing is removed (the operator reads the list again first).
    public func removeDue(
        _ schedule: RetentionSchedule, on day: LocalDate, expecting: Int, by actor: AuditActor, at now: Date = Date()
    ) async throws -> [RetentionDue] {
        try await store.transaction { db in
            let due = try await Self.cut(schedule, on: day, by: actor.name, at: now, on: db)
            let total = due.reduce(0) { $0 + $1.rows }
            guard total == expecting else { throw StoreError.retentionChanged(listed: expecting, due: total) }
            let removed = Self.json(Dictionary(uniqueKeysWithValues: due.map { ($0.record.rawValue, $0.rows) }))
            try await db.raw(
                """
                UPDATE retention_runs SET finished_at = \(bind: Timestamp.text(now)), removed = \(bind: removed)
                WHERE finished_at IS NULL
                """
            ).run()
            try await Store.audit(
                [
                    AuditEvent(
                        actor: actor, action: "retention.removed", subject: "retention \(day.iso)", after: removed)
                ], on: db)
            return due
        }
    }

    /// Opens a run (the exception the append-only tables' triggers allow) and cuts every kind in order.
    private static func cut(
        _ schedule: RetentionSchedule, on day: LocalDate, by who: String, at now: Date = Date(),
        on db: any SQLDatabase
    ) async throws -> [RetentionDue] {
        let periods = Self.json(Dictionary(uniqueKeysWithValues: schedule.years.map { ($0.key.rawValue, $0.value) }))
        try await db.raw(
            """
            INSERT INTO retention_runs (as_of, run_by, schedule, started_at)
            VALUES (\(bind: day.iso), \(bind: who), \(bind: periods), \(bind: Timestamp.text(now)))
            """
        ).run()
        var due: [RetentionDue] = []
        for record in cuttingOrder {
            let kept = schedule.keptFrom(record, on: day)
            var rows = 0
            var oldest: AcademicYear?
            for cut in cuts(record, keptFrom: kept) {
                let row = try await db.raw(
                    "SELECT count(*) AS n, min(\(ident: cut.dates)) AS first FROM \(ident: cut.table) WHERE \(cut.due)"
                ).first()
                let n = try row?.decode(column: "n", as: Int.self) ?? 0
                guard n > 0, let row else { continue }
                rows += n
                try await db.raw("DELETE FROM \(ident: cut.table) WHERE \(cut.due)").run()
                let year: AcademicYear? =
                    cut.byYear
                    ? (try? row.decode(column: "first", as: Int.self)).map(AcademicYear.init(startYear:))
                    : (try? row.decode(column: "first", as: String.self)).flatMap { LocalDate(iso: $0.prefix(10)) }
                        .map(\.academicYear)
                if let year, oldest.map({ year < $0 }) ?? true { oldest = year }
            }
            due.append(RetentionDue(record: record, keptFrom: kept, rows: rows, oldest: oldest))
        }
        return due
    }

    private static func json(_ values: [String: Int]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
