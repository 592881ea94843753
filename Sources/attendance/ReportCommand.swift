import ArgumentParser
import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case json, csv, text
}

/// The formats of a command whose output is not one table: its help lists only these.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case json, text
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Attendance figures for a pupil or a school.",
        subcommands: [PupilReport.self, SchoolReport.self])
}

/// `--from` and `--to`; by default the academic year to date.
struct RangeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("First day (default: 1 September of the school year of --to).", valueName: "YYYY-MM-DD"))
    var from: String?
    @Option(help: ArgumentHelp("Last day (default: today).", valueName: "YYYY-MM-DD")) var to: String?

    func validate() throws { _ = try range() }

    func range() throws -> DateRange {
        let end = try parseDate(to, option: "--to") ?? today()
        let start = try parseDate(from, option: "--from") ?? end.academicYear.firstDay
        guard let range = DateRange(start, end) else { throw ValidationError("--from \(start) is after --to \(end)") }
        return range
    }
}

func jsonText(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

func textLine(_ row: SummaryRow) -> String {
    let percent = row.attendancePercent.map { String(format: "%5.1f%%", $0) } ?? "    – "
    return "\(row.upn)  \(row.surname), \(row.forename)  Y\(row.yearGroup) \(row.registrationGroup)  "
        + "possible \(row.possible)  attended \(row.attended)  authorised \(row.authorised)  "
        + "unauthorised \(row.unauthorised)  L \(row.lateBeforeClose)  U \(row.lateAfterClose)  \(percent)  "
        + "\(row.band ?? "-")\(row.persistentAbsence ? "  persistent absence" : "")"
}

struct PupilReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pupil", abstract: "One pupil's attendance.")

    @Argument(help: "The pupil's UPN.") var upn: String
    @OptionGroup var range: RangeOptions
    @Option(help: "json or text.") var format: ListFormat = .text
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        do { _ = try UPN(upn) } catch { throw ValidationError("'\(upn)' is not a valid UPN: \(error)") }
    }

    func run() async throws {
        let settings = try Settings(db)
        let upn = try UPN(upn)
        let window = try range.range()
        do {
            let row = try await settings.withStore { store in
                let (stored, summary) = try await store.registers.summary(of: upn, in: window)
                try await store.auditTrail.record(
                    AuditEvent(
                        actor: settings.actor, action: "export", school: stored.enrolments.last?.school, upn: upn,
                        subject: "report pupil \(window.start)..\(window.end) \(format.rawValue)"))
                let history = try await store.transfers.history(of: upn)
                return PupilReportRow(
                    row: SummaryRow(pupil: stored.pupil, range: window, summary: summary), history: history,
                    range: window, welsh: store.codes, rules: store.rules)
            }
            if format == .json {
                print(try jsonText(row))
            } else {
                print("\(window.start) to \(window.end)\n" + textLine(row.row))
                for year in row.elsewhere {
                    // Another school's figures, beside this record's and never added to them.
                    print(
                        "  at \(year.school) \(year.schoolName), \(year.year): possible \(year.possible)  attended "
                            + "\(year.attended)  authorised \(year.authorised)  unauthorised \(year.unauthorised)  "
                            + "(from its \(year.countedFrom))")
                }
            }
        } catch let error as StoreError {
            printError("\(error)")
            throw ExitCode.failure
        }
    }
}

struct SchoolReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "school", abstract: "A school's attendance, one line per pupil on roll in the period.")

    @Argument(help: "The school's LAESTAB, e.g. 6652001.") var laestab: String
    @OptionGroup var range: RangeOptions
    @Option(help: "json, csv or text.") var format: ReportFormat = .text
    @OptionGroup var db: DatabaseOptions

    func validate() throws { _ = try parseSchool(laestab) }

    func run() async throws {
        let settings = try Settings(db)
        guard let school = try parseSchool(laestab) else { throw ValidationError("--school: name a LAESTAB") }
        let window = try range.range()
        do {
            let (name, rows, total) = try await settings.withStore { store in
                let lines = try await store.registers.schoolReport(school, in: window)
                try await store.auditTrail.record(
                    AuditEvent(
                        actor: settings.actor, action: "export", school: school,
                        subject: "report school \(window.start)..\(window.end) \(format.rawValue)",
                        after: auditJSON(["pupils": String(lines.count)])))
                let total = lines.reduce(AttendanceSummary.empty(rules: store.rules)) { $0 + $1.summary }
                let name = try await store.reference.requireSchool(school).school.name
                return (name, lines.map { SummaryRow(pupil: $0.pupil, range: window, summary: $0.summary) }, total)
            }
            switch format {
            case .json: print(try jsonText(rows))
            case .csv: print(SummaryRow.csvHeader + rows.map(\.csvLine).joined(), terminator: "")
            case .text:
                print("\(name) (\(school)), \(window.start) to \(window.end): \(rows.count) pupils")
                rows.forEach { print(textLine($0)) }
                print(
                    "Whole school: possible \(total.possible), attended \(total.attended), "
                        + "\(total.attendancePercentText) \(total.band?.rawValue ?? "")")
            }
        } catch let error as StoreError {
            printError("\(error)")
            throw ExitCode.failure
        }
    }
}
