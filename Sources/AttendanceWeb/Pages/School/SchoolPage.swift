import AttendanceCore
import AttendanceStore

/// A school's aggregate figures: the whole school, by year group, by form. No pupil is named, so governors may
/// see it.
struct SchoolPage: PageModel {
    static let template = "school"

    struct Row: Sendable {
        let label: String
        /// On roll on the page's day (as on the home page and the registers).
        let pupils: Int
        let week: String
        let year: String
        let persistent: Int
        let band: String?
        let bandClass: String?
        /// Said when the year's figure is below the school's target (exactly, as the bands are).
        let belowTarget: String?
    }

    /// The head's form to set the year's target, or to confirm the one the authority proposed.
    struct TargetForm: Sendable {
        let action: String
        let value: String
        let button: String
    }

    struct Section: Sendable {
        let heading: String
        let firstColumn: String
        let rows: [Row]
    }

    let title: String
    let period: String
    /// The year's target and who set it, or that there is none yet.
    let targetLine: String
    let targetForm: TargetForm?
    let notice: String?
    let error: String?
    let sections: [Section]
    let colPupils: String

    /// - Parameters:
    ///   - year: each pupil's figures for the school year to date (every pupil on roll at any time in it).
    ///   - week: each pupil's figures for this week.
    ///   - onRoll: the pupils on roll today, counted in each row's "on roll".
    ///   - target: the school's target for the year, if any; `targetAction` the head's form to set it.
    static func make(
        school: String, year: [PupilSummary], week: [PupilSummary], onRoll: [Pupil], today: LocalDate,
        weekRange: DateRange, yearRange: DateRange, rules: SummaryRules, target: AttendanceTarget? = nil,
        targetAction: String? = nil, names: [String: String] = [:], notice: String? = nil, error: String? = nil,
        text: @escaping (String, [String: String]) -> String
    ) -> SchoolPage {
        struct Group {
            var pupils = 0
            var week: AttendanceSummary
            var year: AttendanceSummary
            var persistent = 0
        }
        let empty = Group(week: .empty(rules: rules), year: .empty(rules: rules))
        let thisWeek = AttendanceSummary.byPupil(week.map { ($0.pupil.upn, $0.summary) })
        var whole = empty
        var byYear: [String: Group] = [:]
        var byForm: [String: Group] = [:]
        for line in year {
            func add(_ group: inout Group) {
                group.year = group.year + line.summary
                group.week = group.week + (thisWeek[line.pupil.upn] ?? .empty(rules: rules))
                if line.summary.persistentAbsence { group.persistent += 1 }
            }
            add(&whole)
            add(&byYear[line.pupil.yearGroup, default: empty])
            add(&byForm[line.pupil.registrationGroup, default: empty])
        }
        for pupil in onRoll {
            whole.pupils += 1
            byYear[pupil.yearGroup, default: empty].pupils += 1
            byForm[pupil.registrationGroup, default: empty].pupils += 1
        }
        func row(_ label: String, _ group: Group) -> Row {
            Row(
                label: label, pupils: group.pupils, week: group.week.attendancePercentText,
                year: group.year.attendancePercentText, persistent: group.persistent,
                band: group.year.band.map { text($0.textKey, [:]) }, bandClass: group.year.band?.cssClass,
                belowTarget: target?.isMissed(by: group.year) == true ? text("target.below", [:]) : nil)
        }
        let academicYear = yearRange.end.academicYear.description
        var targetLine = text("target.none", ["year": academicYear])
        if let target {
            // When, in UK time: the record keeps the moment in UTC.
            let on = Timestamp.date(target.at).map { DateText.day(UKTime.parts($0).date, text) } ?? ""
            targetLine =
                target.state == .set
                ? text(
                    "target.line",
                    [
                        "year": academicYear, "target": target.percentText, "on": on,
                        "by": RecordWords.actor(target.by, names: names, text: text),
                    ])
                : text("target.proposedLine", ["year": academicYear, "target": target.percentText, "on": on])
        }
        // Year groups and forms in school order: "7", "8", … "13", then anything else.
        func order(_ a: String, _ b: String) -> Bool {
            (Int(a.prefix { $0.isNumber }) ?? 99, a) < (Int(b.prefix { $0.isNumber }) ?? 99, b)
        }
        return SchoolPage(
            title: text("school.title", ["school": school]),
            period: text(
                "school.period",
                [
                    "week": "\(DateText.day(weekRange.start, text)) – \(DateText.day(weekRange.end, text))",
                    "from": DateText.day(yearRange.start, text),
                    "to": DateText.day(yearRange.end, text), "today": DateText.day(today, text),
                ]),
            targetLine: targetLine,
            targetForm: targetAction.map {
                TargetForm(
                    action: $0, value: target.map { "\($0.tenths / 10).\($0.tenths % 10)" } ?? "",
                    button: text(target?.state == .proposed ? "target.confirm" : "target.set", [:]))
            }, notice: notice, error: error,
            sections: [
                Section(
                    heading: text("school.whole", [:]), firstColumn: text("home.column.school", [:]),
                    rows: [row(school, whole)]),
                Section(
                    heading: text("school.byYear", [:]), firstColumn: text("column.year", [:]),
                    rows: byYear.sorted { order($0.key, $1.key) }.map { row($0.key, $0.value) }),
                Section(
                    heading: text("school.byGroup", [:]), firstColumn: text("column.group", [:]),
                    rows: byForm.sorted { order($0.key, $1.key) }.map { row($0.key, $0.value) }),
            ], colPupils: text("column.onRoll", ["date": DateText.day(today, text)]))
    }
}
