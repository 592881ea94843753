import AttendanceCore
import Foundation
import SQLKit

/// What the retention schedule would remove on a day, by kind of record: the dry run an operator reads before
/// anything is removed.
public struct RetentionDue: Sendable, Hashable {
    public let record: RetainedRecord
    /// The first school year kept; rows of earlier years are due.
    public let keptFrom: AcademicYear
    /// Rows due to be removed (for registers: pupils' years of marks and the changes made to them).
    public let rows: Int
    /// The earliest school year among them.
    public let oldest: AcademicYear?
}

extension DataProtectionRepository {
    /// Counts, kind by kind, the rows of school years before the first one the schedule keeps on `day`. Reads
    /// only: removing them is not built (issue 37 leaves it for later), so this is the list a person checks.
    public func retentionDue(_ schedule: RetentionSchedule, on day: LocalDate) async throws -> [RetentionDue] {
        let sql = store.reader
        var due: [RetentionDue] = []
        for record in RetainedRecord.allCases {
            let kept = schedule.keptFrom(record, on: day)
            let before = kept.firstDay.iso
            // Each kind's tables, and how each dates a row: by its school year, or by a day or moment (ISO text,
            // which sorts as it reads: a moment before the kept year's first day is of an earlier year).
            let counts: [(table: String, column: String, byYear: Bool)] =
                switch record {
                case .registers:
                    [("pupil_year_marks", "academic_year", true), ("mark_amendments", "date", false)]
                case .procedureActions: [("procedure_actions", "academic_year", true)]
                case .letters: [("letters", "produced_at", false), ("deliveries", "created_at", false)]
                case .eswCases: [("esw_cases", "referred_on", false)]
                case .penaltyCases: [("penalty_cases", "opened_at", false)]
                case .auditTrail: [("audit_events", "at", false)]
                }
            var rows = 0
            var oldest: AcademicYear?
            for count in counts {
                let limit: SQLQueryString =
                    count.byYear ? "\(bind: kept.startYear)" : "\(bind: before)"
                let row = try await sql.raw(
                    """
                    SELECT count(*) AS n, min(\(ident: count.column)) AS first FROM \(ident: count.table)
                    WHERE \(ident: count.column) < \(limit)
                    """
                ).first()
                let n = try row?.decode(column: "n", as: Int.self) ?? 0
                rows += n
                guard n > 0, let row else { continue }
                let year: AcademicYear? =
                    count.byYear
                    ? (try? row.decode(column: "first", as: Int.self)).map(AcademicYear.init(startYear:))
                    : (try? row.decode(column: "first", as: String.self)).flatMap { LocalDate(iso: $0.prefix(10)) }
                        .map(\.academicYear)
                if let year, oldest.map({ year < $0 }) ?? true { oldest = year }
            }
            due.append(RetentionDue(record: record, keptFrom: kept, rows: rows, oldest: oldest))
        }
        return due
    }
}
