import AttendanceCore
import AttendanceStore
import Vapor

extension Band {
    /// The band's name in the string catalogue, and the class that gives it its colour: one place for both.
    var textKey: String { "band.\(rawValue)" }
    var cssClass: String { rawValue.lowercased() }
}

/// What several pages share: the school year to date.
enum FigureViews {
    /// The school year to date, as of the server's today.
    static func yearToDate(_ request: Request) -> DateRange {
        let today = request.context.today
        return DateRange.yearToDate(today)
    }

    /// The previous school week, Monday to Friday before this week's Monday: the week a classroom display and the
    /// newsletter's figure report.
    static func previousWeek(_ request: Request) -> DateRange {
        let monday = SchoolWeek.current(on: request.context.today).start.adding(days: -7)
        return DateRange(monday, monday.adding(days: 4)) ?? DateRange(day: monday)
    }
}
