import AttendanceCore
import AttendanceStore
import Foundation

/// The printable register of a group over a range: pupils down, sessions across, codes in cells (corrected ones
/// starred), totals per pupil, and the key to the codes; A4 landscape when printed.
struct PrintRegisterPage: PageModel {
    static let template = "print"

    struct Day: Sendable {
        let label: String
        let am = "AM"
        let pm = "PM"
    }

    struct Cell: Sendable {
        let code: String
        let amended: Bool
    }

    struct Row: Sendable {
        let name: String
        let upn: String
        let cells: [Cell]
        let possible: Int
        let attended: Int
        let authorised: Int
        let unauthorised: Int
    }

    struct Code: Sendable {
        let code: String
        let name: String
    }

    /// When a session's register was taken (its first mark), and whether after it closed.
    struct Taken: Sendable {
        let time: String
        let late: Bool
    }

    /// One pupil's line as the register holds it: a cell per session (a code, "" unmarked, "–" off roll).
    struct Line {
        let pupil: Pupil
        let cells: [(code: String, amended: Bool)]
        let summary: AttendanceSummary
    }

    let title: String
    let schoolLine: String
    let rangeLine: String
    let printedLine: String
    let action: String
    let from: String
    let to: String
    let csvHref: String
    let colPossible: String
    let colAttended: String
    let colAuthorised: String
    let colUnauthorised: String
    let days: [Day]
    let rows: [Row]
    let codes: [Code]
    let taken: [Taken]
    /// Who took the registers in the range, with how many each.
    let takers: String?

    /// - Parameter takers: each session's first mark (who took the register, and when).
    static func make(
        school: School, group: String, range: DateRange, days: [LocalDate], lines: [Line],
        takers: [SchoolSession: FirstMark] = [:], printedBy: String, printedAt: Date, codes: CodeTable,
        language: Language, names: [String: String], text: (String, [String: String]) -> String
    ) -> PrintRegisterPage {
        let columns = PupilColumns(text: { text($0, [:]) })
        let sessions = days.flatMap { [SchoolSession($0, .am), SchoolSession($0, .pm)] }
        let taken = sessions.map { session -> Taken in
            guard let first = takers[session] else { return Taken(time: "", late: false) }
            let (day, time) = UKTime.parts(first.at)
            return Taken(
                time: day == session.date ? time.description : String(day.iso.suffix(5)),
                late: RegisterRules.takenLate(session, times: school.times(for: session.half), recorded: (day, time)))
        }
        var counts: [String: Int] = [:]
        for session in sessions {
            if let by = takers[session]?.by { counts[RecordWords.actor(by, names: names, text: text), default: 0] += 1 }
        }
        return PrintRegisterPage(
            title: text("print.title", ["group": group]),
            schoolLine: text(
                "print.school",
                [
                    "school": school.name, "la": String(school.laNumber),
                    "estab": String(format: "%04d", school.estabNumber),
                ]),
            rangeLine: text(
                "print.range", ["from": range.start.readable(language), "to": range.end.readable(language)]),
            printedLine: text(
                "print.printed",
                [
                    "time": UKTime.readable(printedAt, language),
                    "name": printedBy,
                ]),
            action: SiteURL.printRegister(school.laestab, group: group), from: range.start.iso, to: range.end.iso,
            csvHref: SiteURL.printRegister(
                school.laestab, group: group, query: ["from": range.start.iso, "to": range.end.iso, "format": "csv"]),
            colPossible: columns.colPossible,
            colAttended: columns.colAttended, colAuthorised: columns.colAuthorised,
            colUnauthorised: columns.colUnauthorised, days: days.map { Day(label: String($0.iso.suffix(5))) },
            rows: lines.map { line in
                Row(
                    name: "\(line.pupil.legalSurname), \(line.pupil.legalForename)", upn: line.pupil.upn.value,
                    cells: line.cells.map { Cell(code: $0.code, amended: $0.amended) },
                    possible: line.summary.possible, attended: line.summary.attended,
                    authorised: line.summary.authorised, unauthorised: line.summary.unauthorised)
            }, codes: codes.codes.map { Code(code: $0.code, name: $0.name(in: language)) },
            taken: taken,
            takers: counts.isEmpty
                ? nil
                : text(
                    "print.takers",
                    [
                        "takers": counts.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(
                            separator: ", ")
                    ]))
    }
}
