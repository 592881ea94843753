import ArgumentParser
import AttendanceCore
import AttendanceStore
import Foundation

/// `attendance retention`: what the retention schedule would remove, kind by kind (a dry run: nothing is removed),
/// and with `--remove --expecting N` the removal itself, of exactly the N rows the dry run listed.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "List what the retention schedule would remove (a dry run), or remove it (--remove).",
        discussion: """
            Each kind of record is kept for whole school years after its own: registers at least three. The \
            schedule is a JSON file (--rules), {"keep_school_years_after": {"registers": 3, "procedure_actions": 6, \
            "letters": 6, "esw_cases": 6, "penalty_cases": 6, "audit_trail": 6}}; without one, those are the periods.
            Without --remove nothing is removed: the list is the removal itself, made and rolled back. With \
            --remove --expecting N the rows are removed only if N (the dry run's total) are still due, in one \
            transaction, recorded as a retention run and in the audit trail.
            """)

    @Option(help: ArgumentHelp("The authority's retention schedule (JSON).", valueName: "file")) var rules: String?
    @Option(
        name: .customLong("as-of"), help: ArgumentHelp("The day to judge on (default today).", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: "text or json.") var format: ListFormat = .text
    @Flag(help: "Remove the rows due (with --expecting).") var remove = false
    @Option(help: ArgumentHelp("The total rows the dry run listed (with --remove).", valueName: "rows"))
    var expecting: Int?
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        _ = try parseDate(asOf, option: "--as-of")
        if remove && expecting == nil {
            throw ValidationError("--remove needs --expecting: the total rows the dry run listed, read first")
        }
        if !remove && expecting != nil { throw ValidationError("--expecting is for --remove") }
    }

    func run() async throws {
        var schedule = RetentionSchedule.shipped
        if let rules {
            guard let data = FileManager.default.contents(atPath: rules) else {
                throw ValidationError("--rules: \(rules) could not be read")
            }
            do { schedule = try RetentionSchedule(json: data) } catch {
                throw ValidationError("--rules: \(rules): \(error)")
            }
        }
        let day = try parseDate(asOf, option: "--as-of") ?? today()
        let settings = try Settings(db)
        let due = try await settings.withStore { store in
            if remove, let expecting {
                return try await store.dataProtection.removeDue(
                    schedule, on: day, expecting: expecting, by: settings.actor)
            }
            let due = try await store.dataProtection.retentionDue(schedule, on: day)
            try await store.auditTrail.record(
                AuditEvent(
                    actor: settings.actor, action: "retention.dry_run", subject: "retention \(day.iso)",
                    after: auditJSON(
                        Dictionary(uniqueKeysWithValues: due.map { ($0.record.rawValue, String($0.rows)) }))))
            return due
        }
        if format == .json {
            let lines = due.map {
                [
                    "record": $0.record.rawValue, "kept_from": $0.keptFrom.description, "rows_due": String($0.rows),
                    "oldest": $0.oldest?.description ?? "",
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: lines, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("Retention as of \(day.iso)" + (remove ? ": removed" : " (a dry run: nothing is removed)"))
        for line in due {
            let name = line.record.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)
            let what =
                line.rows == 0
                ? (remove ? "nothing removed" : "nothing due")
                : "\(line.rows) rows \(remove ? "removed" : "due"), the oldest of \(line.oldest?.description ?? "?")"
            print("  \(name) kept from \(line.keptFrom): \(what)")
        }
        let total = due.reduce(0) { $0 + $1.rows }
        if !remove && total > 0 {
            print("To remove these \(total) rows, run this again with --remove --expecting \(total).")
        }
    }
}
