import AttendanceCore
import AttendanceStore
import Foundation

/// A panel as the case page shows it, with the form its state allows: whether the parents came (and, if they did
/// not come to a first panel, the second invitation's day, time and place), or the outcome.
struct PanelView: Sendable {
    let id: Int
    let line: String
    let attendanceAction: String?
    let needsSecond: Bool
    let outcomeAction: String?

    static func make(
        _ panel: AttendancePanel, school: LAESTAB, caseID: EswCaseID, today: LocalDate, text: @escaping PupilPage.Text
    ) -> PanelView {
        let plain = { (key: String) in text(key, [:]) }
        var line = text(
            "panel.line",
            [
                "round": plain("panel.round.\(panel.round)"), "on": DateText.day(panel.on, text), "time": panel.time,
                "place": panel.place, "members": panel.members,
            ])
        if let attendance = panel.attendance { line += " – " + plain("panel.attendance.\(attendance.rawValue)") }
        if let outcome = panel.outcome { line += " – " + outcome }
        let values = ["id": String(caseID), "laestab": school.description, "panel": String(panel.id)]
        return PanelView(
            id: panel.id, line: line,
            attendanceAction: panel.attendance == nil && panel.on <= today
                ? SiteURL.panelAttendance.path(values) : nil, needsSecond: panel.round == 1,
            outcomeAction: panel.attendance == .attended && panel.outcome == nil
                ? SiteURL.panelOutcome.path(values) : nil)
    }
}

/// The panel forms' labels.
struct PanelWords: Sendable {
    let title: String
    let none: String
    let on: String
    let time: String
    let place: String
    let members: String
    let schedule: String
    let attendance: String
    let attendances: [Option]
    let secondIntro: String
    let record: String
    let outcome: String
    let saveOutcome: String

    init(text: @escaping PupilPage.Text) {
        let plain = { (key: String) in text(key, [:]) }
        title = plain("panel.title")
        none = plain("panel.none")
        on = plain("panel.on")
        time = plain("panel.time")
        place = plain("panel.place")
        members = plain("panel.members")
        schedule = plain("panel.schedule")
        attendance = plain("panel.attendanceLabel")
        attendances = PanelAttendance.allCases.map {
            Option(value: $0.rawValue, label: plain("panel.attendance.\($0.rawValue)"))
        }
        secondIntro = plain("panel.secondIntro")
        record = plain("panel.record")
        outcome = plain("panel.outcome")
        saveOutcome = plain("panel.saveOutcome")
    }
}
