import AttendanceCore
import AttendanceStore
import Vapor

/// The home page: every school with its attendance this week.
enum HomeController {
    struct SchoolLine {
        let name: String
        let laestab: String
        let phase: String
        let pupils: Int
        let attendance: String
        let band: String?
        let bandClass: String?
    }

    /// The figures, apart from the HTTP handler so they can be tested directly.
    static func lines(store: Store, week: DateRange, language: Language, strings: Strings) async throws -> [SchoolLine]
    {
        var lines: [SchoolLine] = []
        for stored in try await store.schools() {
            let report = try await store.schoolReport(stored.school.laestab, in: week)
            let total = report.reduce(AttendanceSummary.empty(rules: store.rules)) { $0 + $1.summary }
            lines.append(
                SchoolLine(
                    name: stored.school.name, laestab: stored.school.laestab.description,
                    phase: strings("phase.\(stored.school.phase.rawValue)", language), pupils: report.count,
                    attendance: total.possible > 0 ? total.attendancePercentText : strings("home.noMarks", language),
                    band: total.band.map { strings("band.\($0.rawValue)", language) },
                    bandClass: total.band?.rawValue.lowercased()))
        }
        return lines
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        let context = request.context
        let language = request.language
        let strings = context.strings
        let week = SchoolWeek.current(on: context.today)
        let schools = try await lines(store: context.store, week: week, language: language, strings: strings)
        let columns = ["school", "laestab", "phase", "pupils", "attendance", "band"]
        var values: [String: Any] = [
            "title": strings("home.title", language),
            "week": strings("home.week", language, ["from": week.start.iso, "to": week.end.iso]),
            "empty": strings("home.empty", language),
            "schools": schools,
            "hasSchools": !schools.isEmpty,
        ]
        for column in columns {
            values["column" + column.prefix(1).uppercased() + column.dropFirst()] = strings(
                "home.column.\(column)", language)
        }
        return try Page.render("home", values, request: request)
    }
}
