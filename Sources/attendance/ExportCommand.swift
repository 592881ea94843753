import ArgumentParser
import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Returns the authority sends on: the weekly management information.",
        subcommands: [WeeklyExport.self])
}

/// Welsh Government's weekly management information: every school's week by sex, year group and free school
/// meals, one CSV row a school and group (the same rows as the Education Lead's page).
struct WeeklyExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weekly", abstract: "Every school's sessions for a school week, by sex, year group and FSM.")

    @Option(help: ArgumentHelp("Any day of the week (Monday to Friday of it is reported).", valueName: "YYYY-MM-DD"))
    var week: String
    @Option(help: ArgumentHelp("Write the CSV here instead of printing it.", valueName: "file")) var out: String?
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard let day = try parseDate(week, option: "--week") else { return }
        guard SchoolWeek.of(day).start <= today() else { throw ValidationError("--week: \(week) has not begun") }
    }

    func run() async throws {
        let settings = try Settings(db)
        guard let day = try parseDate(week, option: "--week") else { throw ValidationError("--week: give a day") }
        let range = SchoolWeek.of(day)
        let rows = try await settings.withStore { store in
            let rows = try await store.groups.everySchool(in: range).flatMap {
                WeeklyReturnRow.rows($0.school.laestab, week: range, analysis: $0.analysis)
            }
            try await store.auditTrail.record(
                AuditEvent(
                    actor: settings.actor, action: "export", subject: "export weekly \(range.start)..\(range.end)",
                    after: auditJSON(["rows": String(rows.count)])))
            return rows
        }
        let text = CSV.line(WeeklyReturnRow.columns) + rows.map { CSV.line($0.cells) }.joined()
        if let out {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: out)) } catch {
                printError("--out: \(out) could not be written: \(error.localizedDescription)")
                throw ExitCode.failure
            }
            print("\(rows.count) rows for \(range.start) to \(range.end) written to \(out)")
        } else {
            print(text, terminator: "")
        }
    }
}
