import AttendanceCore
import AttendanceStore
import Vapor

/// A school's aggregate figures: whole school, by year group, by form. No pupil is named, so governors may
/// see it.
enum SchoolController {
    struct Group {
        var pupils = 0
        var week = AttendanceSummary.empty()
        var year = AttendanceSummary.empty()
        var persistent = 0
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let school = try await store.requireSchool(laestab).school
        let range = FigureViews.yearToDate(request)
        let week = SchoolWeek.current(on: request.context.today)
        let thisWeek = Dictionary(
            try await store.schoolReport(laestab, in: week).map { ($0.pupil.upn, $0.summary) }, uniquingKeysWith: +)
        var whole = Group(week: .empty(rules: store.rules), year: .empty(rules: store.rules))
        var byYear: [String: Group] = [:]
        var byForm: [String: Group] = [:]
        for line in try await store.schoolReport(laestab, in: range) {
            func add(_ group: inout Group) {
                group.pupils += 1
                group.year = group.year + line.summary
                group.week = group.week + (thisWeek[line.pupil.upn] ?? .empty(rules: store.rules))
                if line.summary.persistentAbsence { group.persistent += 1 }
            }
            add(&whole)
            add(&byYear[line.pupil.yearGroup, default: Group()])
            add(&byForm[line.pupil.registrationGroup, default: Group()])
        }
        func row(_ label: String, _ group: Group) -> [String: Any] {
            [
                "label": label, "pupils": group.pupils, "week": group.week.attendancePercentText,
                "year": group.year.attendancePercentText, "persistent": group.persistent,
            ].merging(FigureViews.band(group.year, request)) { a, _ in a }
        }
        func order(_ a: String, _ b: String) -> Bool {
            (Int(a.prefix { $0.isNumber }) ?? 99, a) < (Int(b.prefix { $0.isNumber }) ?? 99, b)
        }
        let sections: [[String: Any]] = [
            [
                "heading": request.text("school.whole"), "firstColumn": request.text("home.column.school"),
                "rows": [row(school.name, whole)],
            ],
            [
                "heading": request.text("school.byYear"), "firstColumn": request.text("column.year"),
                "rows": byYear.keys.sorted(by: order).map { row($0, byYear[$0]!) },
            ],
            [
                "heading": request.text("school.byGroup"), "firstColumn": request.text("column.group"),
                "rows": byForm.keys.sorted(by: order).map { row($0, byForm[$0]!) },
            ],
        ]
        var values: [String: Any] = [
            "title": request.text("school.title", ["school": school.name]),
            "period": request.text(
                "school.period",
                ["week": "\(week.start.iso) – \(week.end.iso)", "from": range.start.iso, "to": range.end.iso]),
            "sections": sections,
        ]
        values.merge(FigureViews.pupilColumns(request)) { a, _ in a }
        return try Page.render("school", values, request: request)
    }
}
