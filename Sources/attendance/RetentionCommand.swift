import ArgumentParser
import AttendanceCore
import AttendanceStore
import Foundation

/// `attendance retention`: what the retention schedule would remove, kind by kind (a dry run: nothing is removed;
/// removing is not built yet).
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "List what the retention schedule would remove (a dry run: nothing is removed).",
        discussion: """
            Each kind of record is kept for whole school years after its own: registers at least three. The \
            schedule is a JSON file (--rules), {"keep_school_years_after": {"registers": 3, "procedure_actions": 6, \
            "letters": 6, "esw_cases": 6, "penalty_cases": 6, "audit_trail": 6}}; without one, those are the periods.
            """)

    @Option(help: ArgumentHelp("The authority's retention schedule (JSON).", valueName: "file")) var rules: String?
    @Option(
        name: .customLong("as-of"), help: ArgumentHelp("The day to judge on (default today).", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: "text or json.") var format = "text"
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        _ = try parseDate(asOf, option: "--as-of")
        guard ["text", "json"].contains(format) else { throw ValidationError("--format: text or json") }
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
            let due = try await store.dataProtection.retentionDue(schedule, on: day)
            try await store.auditTrail.record(
                AuditEvent(
                    actor: settings.actor, action: "retention.dry_run", subject: "retention \(day.iso)",
                    after: auditJSON(
                        Dictionary(uniqueKeysWithValues: due.map { ($0.record.rawValue, String($0.rows)) }))))
            return due
        }
        if format == "json" {
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
        print("Retention as of \(day.iso) (a dry run: nothing is removed)")
        for line in due {
            let name = line.record.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)
            let what =
                line.rows == 0
                ? "nothing due"
                : "\(line.rows) rows due, the oldest of \(line.oldest?.description ?? "?")"
            print("  \(name) kept from \(line.keptFrom): \(what)")
        }
    }
}
