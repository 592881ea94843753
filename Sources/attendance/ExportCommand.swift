import ArgumentParser
import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Returns (weekly, the Welsh Government's termly return) and Common Transfer Files.",
        subcommands: [WeeklyExport.self, TermlyReturnExport.self, CTFExport.self])
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

/// The Welsh Government's pupil-level termly return: one row per pupil of compulsory school age on a school's roll
/// in the term (or every school's, for the authority), the columns of `TermlyReturnRow.columns`.
struct TermlyReturnExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wg-return",
        abstract: "Each pupil's sessions in a term: possible, attended, authorised and unauthorised absence.")

    @Option(help: ArgumentHelp("One school; leave out for every school of the authority.", valueName: "LAESTAB"))
    var school: String?
    @Option(help: ArgumentHelp("autumn, spring or summer.", valueName: "term")) var term: String
    @Option(help: ArgumentHelp("The school year by the year it starts: 2025 means 2025/26.", valueName: "YYYY"))
    var year: Int
    @Option(help: ArgumentHelp("Write the CSV here instead of printing it.", valueName: "file")) var out: String?
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        _ = try parseSchool(school)
        guard SchoolTerm(rawValue: term) != nil else {
            throw ValidationError("--term: '\(term)' is not autumn, spring or summer")
        }
        guard (2000...today().academicYear.startYear).contains(year) else {
            throw ValidationError("--year: \(year) is not a school year from 2000 to this one")
        }
    }

    func run() async throws {
        let settings = try Settings(db)
        guard let term = SchoolTerm(rawValue: term) else { throw ValidationError("--term: autumn, spring or summer") }
        let academicYear = AcademicYear(startYear: year)
        let only = try parseSchool(school)
        let (rows, missing) = try await settings.withStore { store in
            var rows: [TermlyReturnRow] = []
            var missing: [LAESTAB] = []
            let schools = try await store.reference.schools().map(\.school).filter { only == nil || $0.laestab == only }
            if let only, schools.isEmpty { throw StoreError.notFound("school \(only)") }
            for school in schools.sorted(by: { $0.laestab < $1.laestab }) {
                let calendar = try await store.reference.calendar(for: school)
                guard let days = term.range(in: calendar, year: academicYear) else {
                    missing.append(school.laestab)
                    continue
                }
                rows += TermlyReturnRow.rows(
                    school: school.laestab, year: academicYear, term: term, termDays: days,
                    roll: try await store.registers.rollYears(school.laestab, year: academicYear), table: store.codes,
                    rules: store.rules)
            }
            try await store.auditTrail.record(
                AuditEvent(
                    actor: settings.actor, action: "export", school: only,
                    subject: "export wg-return \(academicYear) \(term.rawValue)",
                    after: auditJSON(["rows": String(rows.count)])))
            return (rows, missing)
        }
        for laestab in missing {
            printError("\(laestab): the calendar has no \(term.rawValue) term in \(academicYear)")
        }
        let text = CSV.line(TermlyReturnRow.columns.map(\.name)) + rows.map { CSV.line($0.cells) }.joined()
        if let out {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: out)) } catch {
                printError("--out: \(out) could not be written: \(error.localizedDescription)")
                throw ExitCode.failure
            }
            print("\(rows.count) pupils for the \(term.rawValue) term of \(academicYear) written to \(out)")
        } else {
            print(text, terminator: "")
        }
    }
}

/// A Common Transfer File for pupils of a school: named pupils, or every pupil on its roll today.
struct CTFExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctf", abstract: "A Common Transfer File (XML) for pupils of a school, attendance included.")

    @Option(help: ArgumentHelp("The school the pupils are leaving (or on the roll of).", valueName: "LAESTAB"))
    var school: String
    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("Pupils (default: every pupil on the roll today).", valueName: "UPN"))
    var upn: [String] = []
    @Option(help: ArgumentHelp("The school the pupils are going to, when known.", valueName: "LAESTAB")) var to: String?
    @Option(
        help: ArgumentHelp("The file, or a folder to write it in under the name schools expect.", valueName: "path"))
    var out: String
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard try parseSchool(school) != nil else { throw ValidationError("--school: give a LAESTAB") }
        _ = try parseSchool(to)
        for text in upn {
            do { _ = try UPN(text) } catch { throw ValidationError("--upn: '\(text)' is not a valid UPN: \(error)") }
        }
    }

    func run() async throws {
        let settings = try Settings(db)
        guard let laestab = try parseSchool(school) else { throw ValidationError("--school: give a LAESTAB") }
        let destination = try parseSchool(to)
        let day = today()
        let file = try await settings.withStore { store in
            var pupils = try upn.map { try UPN($0) }
            if pupils.isEmpty { pupils = try await store.reference.onRoll(laestab, on: day).map(\.upn) }
            let stamp = ISO8601DateFormatter().string(from: Date()).prefix(19)
            return try await store.registers.commonTransferFile(
                from: laestab, to: destination, pupils: pupils, today: day, dateTime: String(stamp),
                by: settings.actor)
        }
        var isFolder: ObjCBool = false
        var path = out
        if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder), isFolder.boolValue {
            path = URL(fileURLWithPath: out).appendingPathComponent(file.fileName).path
        }
        do { try Data(CTFWriter.xml(file).utf8).write(to: URL(fileURLWithPath: path)) } catch {
            printError("--out: \(path) could not be written: \(error.localizedDescription)")
            throw ExitCode.failure
        }
        print("\(file.pupils.count) pupils written to \(path)")
    }
}
