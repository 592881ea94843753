import AttendanceCore
import Foundation
import SQLKit

extension ProcedureRepository {
    /// The procedure's activity at a school over a period, as counts: actions falling due in it by what became of
    /// them, letters produced in it, penalty cases opened in it by their stage now.
    public func activity(_ laestab: LAESTAB, in range: DateRange) async throws -> ProcedureActivity {
        let school = try await store.reference.requireSchool(laestab)
        var activity = ProcedureActivity()
        for row in try await store.reader.raw(
            """
            SELECT action, status, COUNT(*) AS n FROM procedure_actions WHERE school_id = \(bind: school.id)
            AND due_on >= \(bind: range.start.iso) AND due_on <= \(bind: range.end.iso) GROUP BY action, status
            """
        ).all() {
            guard let action = ProcedureAction(rawValue: try row.decode(column: "action", as: String.self)),
                let status = RecordedAction.Status(rawValue: try row.decode(column: "status", as: String.self))
            else { throw StoreError.corrupt("a procedure action of no known kind or status") }
            activity.actions[action, default: [:]][status] = try row.decode(column: "n", as: Int.self)
        }
        // Timestamps are text from "YYYY-MM-DD": the day after the period's end bounds it.
        let after = range.end.adding(days: 1).iso
        activity.letters =
            try await store.reader.raw(
                """
                SELECT COUNT(*) AS n FROM letters WHERE school_id = \(bind: school.id)
                AND produced_at >= \(bind: range.start.iso) AND produced_at < \(bind: after)
                """
            ).first(decodingColumn: "n", as: Int.self) ?? 0
        for row in try await store.reader.raw(
            """
            SELECT status, COUNT(*) AS n FROM penalty_cases WHERE school_id = \(bind: school.id)
            AND opened_at >= \(bind: range.start.iso) AND opened_at < \(bind: after) GROUP BY status
            """
        ).all() {
            activity.penaltyCases[try row.decode(column: "status", as: String.self)] = try row.decode(
                column: "n", as: Int.self)
        }
        return activity
    }
}
