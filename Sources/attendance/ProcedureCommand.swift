import ArgumentParser
import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation

struct ProcedureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "procedure", abstract: "The Wrexham Attendance Procedure.",
        subcommands: [RunProcedure.self, ShowPolicy.self])
}

/// The policy in force as a file: the shipped one, or the one `--policy` names, read and checked. An authority
/// starts its own from this.
struct ShowPolicy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Print the policy in force as JSON (the shipped Wrexham 2025 by default).")

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(try Settings(db).policy)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}

struct RunProcedure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Find the actions due for every pupil on roll, and record them.",
        discussion: """
            Records new actions, withdraws pending ones a correction has made no longer due, and turns N marks with \
            no reason after the policy's school days into O (an amendment by the system user). --dry-run only lists. \
            Running twice on the same day records nothing the second time.
            """)

    @Option(
        name: .customLong("as-of"), help: ArgumentHelp("The day to run for (default: today).", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: ArgumentHelp("Only this school.", valueName: "LAESTAB")) var school: String?
    @Flag(name: .customLong("dry-run"), help: "List what is due; record nothing.") var dryRun = false
    @Option(help: "json, csv (a row a line, for a spreadsheet) or text.") var format: ReportFormat = .text
    @OptionGroup var db: DatabaseOptions

    struct Line: Encodable {
        let upn: String
        let school: String
        let action: String
        let basis: String
        let count: Int
        let asOf: String
        let sessions: [String]
        let alreadyRecorded: Bool
        /// True for an action this run withdrew, with the correction that caused it.
        let withdrawn: Bool
        let withdrawnBecause: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case upn, school, action, basis, count, asOf = "as_of", sessions
            case alreadyRecorded = "already_recorded"
            case withdrawn
            case withdrawnBecause = "withdrawn_because"
        }

        /// The line as a CSV row in the order of `CodingKeys`: the sessions in one field, apart by semicolons.
        var csvLine: String {
            CSV.line([
                upn, school, action, basis, String(count), asOf, sessions.joined(separator: ";"),
                alreadyRecorded ? "true" : "false", withdrawn ? "true" : "false", withdrawnBecause ?? "",
            ])
        }
    }

    func validate() throws {
        _ = try parseDate(asOf, option: "--as-of")
        _ = try parseSchool(school)
    }

    func run() async throws {
        let settings = try Settings(db)
        let day = try parseDate(asOf, option: "--as-of") ?? today()
        let rules = settings.policy
        let only = try parseSchool(school)
        let result = try await settings.withStore { store in
            try await store.procedure.runProcedure(policy: rules, asOf: day, school: only, dryRun: dryRun)
        }
        let lines = result.lines.map {
            Line(
                upn: $0.upn.value, school: $0.school.description, action: $0.due.action.rawValue, basis: $0.due.basis,
                count: $0.due.count, asOf: day.iso, sessions: $0.due.sessions.map(\.description),
                alreadyRecorded: $0.alreadyRecorded, withdrawn: $0.withdrawnBecause != nil,
                withdrawnBecause: $0.withdrawnBecause)
        }
        switch format {
        case .json:
            print(try jsonText(lines))
            return
        case .csv:
            print(
                CSV.line(Line.CodingKeys.allCases.map(\.rawValue))
                    + lines.map(\.csvLine).joined(), terminator: "")
            return
        case .text: break
        }
        for line in lines {
            let state =
                line.withdrawnBecause.map { "  (withdrawn after \($0))" }
                ?? (line.alreadyRecorded ? "  (recorded)" : "")
            print("\(line.upn)  \(line.school)  \(line.action)  \(line.basis)  \(line.count)\(state)")
        }
        print(
            dryRun
                ? "\(lines.count) actions due on \(day) (dry run: nothing recorded)."
                : "\(lines.filter { !$0.withdrawn }.count) actions due on \(day): \(result.recorded) recorded now, \(result.withdrawn) withdrawn, \(result.convertedToO) N marks turned into O."
        )
    }
}
