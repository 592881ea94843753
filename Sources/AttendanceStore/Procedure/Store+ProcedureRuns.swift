import AttendanceCore
import Foundation
import SQLKit

extension ProcedureRepository {
    /// The last day each school's procedure was run for (a recording run, not a dry one), by LAESTAB. A school
    /// never run is absent.
    public func lastRuns() async throws -> [LAESTAB: LocalDate] {
        let laestabs = Dictionary(
            uniqueKeysWithValues: try await store.reference.schools().map { ($0.id, $0.school.laestab) })
        let rows = try await store.sql.select().column("school_id")
            .column(SQLFunction("MAX", args: SQLColumn("as_of")), as: "as_of")
            .from("procedure_runs").groupBy("school_id").all()
        var runs: [LAESTAB: LocalDate] = [:]
        for row in rows {
            guard let laestab = laestabs[try row.decode(column: "school_id", as: Int.self)],
                let day = LocalDate(iso: try row.decode(column: "as_of", as: String.self))
            else { continue }
            runs[laestab] = day
        }
        return runs
    }

    /// Runs the procedure for each school whose last run is older than its last school day on or before
    /// `through` (the day the daily run last fell due), as of that school day: a server that was down, or a
    /// database just filled, has the day's actions without anyone pressing "Run". A school that is up to date is
    /// left alone, so calling this twice records nothing the second time.
    @discardableResult
    public func catchUp(policy: Policy, through day: LocalDate, at now: Date = Date()) async throws
        -> ProcedureRunResult
    {
        let last = try await lastRuns()
        var total = ProcedureRunResult()
        for school in try await store.reference.schools() {
            let calendar = try await store.reference.calendar(for: school.school)
            guard let due = calendar.lastSchoolDay(onOrBefore: day),
                last[school.school.laestab].map({ $0 < due }) ?? true
            else { continue }
            let run = try await runProcedure(
                policy: policy, asOf: due, school: school.school.laestab, dryRun: false, at: now)
            total.lines += run.lines
            total.recorded += run.recorded
            total.withdrawn += run.withdrawn
            total.convertedToO += run.convertedToO
        }
        return total
    }
}
