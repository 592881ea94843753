import AttendanceCore
import AttendanceStore
import Vapor

/// Table rows and column headings shared by the pages that list pupils or schools.
enum FigureViews {
    static func band(_ summary: AttendanceSummary, _ request: Request) -> [String: Any] {
        guard let band = summary.band else { return [:] }
        return ["band": request.text("band.\(band.rawValue)"), "bandClass": band.rawValue.lowercased()]
    }

    static func pupilRow(_ line: PupilSummary, _ request: Request) -> [String: Any] {
        let s = line.summary
        return [
            "upn": line.pupil.upn.value, "pupilHref": SiteURL.pupil(line.pupil.upn), "name": line.pupil.displayName,
            "year": line.pupil.yearGroup,
            "group": line.pupil.registrationGroup, "possible": s.possible, "authorised": s.authorised,
            "unauthorised": s.unauthorised, "attendance": s.attendancePercentText,
        ].merging(band(s, request)) { a, _ in a }
    }

    static func pupilColumns(_ request: Request) -> [String: Any] {
        [
            "colPupil": request.text("column.pupil"), "colYear": request.text("column.year"),
            "colGroup": request.text("column.group"), "colPossible": request.text("column.possible"),
            "colAttended": request.text("column.attended"), "colAuthorised": request.text("column.authorised"),
            "colUnauthorised": request.text("column.unauthorised"), "colAttendance": request.text("column.attendance"),
            "colBand": request.text("column.band"), "colPersistent": request.text("column.persistent"),
            "colPupils": request.text("column.pupils"), "colWeek": request.text("column.week"),
            "colYearToDate": request.text("column.yearToDate"),
        ]
    }

    /// The school year to date, as of the server's today.
    static func yearToDate(_ request: Request) -> DateRange {
        let today = request.context.today
        return DateRange(today.academicYear.firstDay, today)!
    }
}
