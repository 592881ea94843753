import AttendanceCore
import AttendanceStore
import Vapor

/// A form's attendance for its classroom wall (issue 34, point 4; the policy: each form's figure for the previous
/// week on classroom displays): last week's figure, the year's, the whole school's and the school's target, large
/// enough to read from the back of a room and one A4 page when printed. No pupil is named.
struct ClassroomDisplayPage: PageModel {
    static let template = "classroom-display"

    struct Figure: Sendable {
        let label: String
        let value: String
        let note: String?
    }

    let title: String
    let weekLine: String
    let figures: [Figure]
    let verdict: String?
    let verdictClass: String?

    /// - Parameters:
    ///   - lastWeek: the form's pupils' figures for the previous school week; `year` for the school year to date;
    ///     `school` the whole school's for the previous week.
    static func make(
        group: String, week: DateRange, lastWeek: AttendanceSummary, year: AttendanceSummary,
        school: AttendanceSummary, target: AttendanceTarget?, text: @escaping (String, [String: String]) -> String
    ) -> ClassroomDisplayPage {
        let plain = { (key: String) in text(key, [:]) }
        var figures = [
            Figure(label: plain("display.lastWeek"), value: lastWeek.attendancePercentText, note: nil),
            Figure(label: plain("display.year"), value: year.attendancePercentText, note: nil),
            Figure(label: plain("display.school"), value: school.attendancePercentText, note: nil),
        ]
        if let target {
            figures.append(Figure(label: plain("display.target"), value: target.percentText, note: nil))
        }
        let missed = target.flatMap { lastWeek.possible > 0 ? $0.isMissed(by: lastWeek) : nil }
        return ClassroomDisplayPage(
            title: text("display.title", ["group": group]),
            weekLine: text("display.week", ["dates": DateText.range(week, text)]), figures: figures,
            verdict: missed.map { plain($0 ? "display.below" : "display.above") },
            verdictClass: missed.map { $0 ? "below" : "above" })
    }
}

enum ClassroomDisplayController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        guard case .registrationGroup(let placement) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let week = FigureViews.previousWeek(request)
        let rules = store.rules
        func total(_ lines: [PupilSummary]) -> AttendanceSummary {
            lines.reduce(AttendanceSummary.empty(rules: rules)) { $0 + $1.summary }
        }
        let lastWeek = try await store.registers.schoolReport(placement.school, in: week)
        let inForm = { (line: PupilSummary) in line.pupil.registrationGroup == placement.group }
        let year = FigureViews.yearToDate(request)
        let page = ClassroomDisplayPage.make(
            group: placement.group, week: week, lastWeek: total(lastWeek.filter(inForm)),
            year: total(try await store.registers.schoolReport(placement.school, in: year).filter(inForm)),
            school: total(lastWeek),
            target: try await store.targets.target(placement.school, for: year.end.academicYear),
            text: { request.text($0, $1) })
        return try Page.render(page, request: request)
    }
}
