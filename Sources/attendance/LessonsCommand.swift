import ArgumentParser
import AttendanceCore
import AttendanceStore
import Foundation

/// `attendance lessons`: lesson registers (issue 38). So far the same-day check, from the command line.
struct LessonsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons", abstract: "Lesson registers: the same-day check.",
        subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "The pupils registered present or late in a session and missing from a lesson of it.",
            discussion: """
                Two lessons in a row missed first, then the latest lesson missed. A lesson mark never changes the \
                session's mark: a pupil absent from the session is the register's matter, not this check's.
                """)

        @Option(help: ArgumentHelp("The school (LAESTAB).", valueName: "LAESTAB")) var school: String
        @Option(help: ArgumentHelp("The day (default today).", valueName: "YYYY-MM-DD")) var date: String?
        @Option(help: "text or json.") var format: ListFormat = .text
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            _ = try parseDate(date, option: "--date")
            _ = try parseSchool(school)
        }

        func run() async throws {
            guard let laestab = try parseSchool(school) else { throw ValidationError("--school: a LAESTAB") }
            let day = try parseDate(date, option: "--date") ?? today()
            let settings = try Settings(db)
            let (concerns, names) = try await settings.withStore { store in
                let concerns = try await store.lessons.sameDayCheck(school: laestab, on: day)
                let pupils = try await store.reference.onRoll(laestab, on: day)
                return (concerns, Dictionary(pupils.map { ($0.upn, $0.displayName) }, uniquingKeysWith: { a, _ in a }))
            }
            if format == .json {
                let lines: [[String: Any]] = concerns.map { concern in
                    [
                        "upn": concern.upn.value, "name": names[concern.upn] ?? "", "in_a_row": concern.inARow,
                        "missed": concern.missed.map {
                            [
                                "class": $0.className, "subject": $0.subject, "period": $0.period,
                                "start": $0.start.description, "teacher": $0.teacher,
                            ] as [String: Any]
                        },
                    ]
                }
                let data = try JSONSerialization.data(withJSONObject: lines, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("Same-day check, \(laestab) on \(day.iso): \(concerns.count) pupils")
            for concern in concerns {
                let lessons = concern.missed.map { "P\($0.period) \($0.subject) (\($0.className), \($0.teacher))" }
                print(
                    "  \(concern.inARow ? "two in a row  " : "              ")\(names[concern.upn] ?? "?") "
                        + "\(concern.upn): \(lessons.joined(separator: "; "))")
            }
        }
    }
}
