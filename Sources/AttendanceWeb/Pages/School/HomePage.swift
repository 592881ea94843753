import AttendanceCore
import AttendanceStore

/// One pupil's line in a table of figures (the home page's lists).
struct PupilRow: Sendable {
    let pupilHref: String
    let name: String
    let year: String
    let group: String
    let possible: Int
    let authorised: Int
    let unauthorised: Int
    let attendance: String
    let band: String?
    let bandClass: String?
    /// For staff: the pupil's school (when the list spans schools), the change since half-term, and the next
    /// action the procedure has due for them.
    var school: String? = nil
    var trend: String? = nil
    var trendWords: String? = nil
    var next: String? = nil

    init(_ line: PupilSummary, text: (String) -> String) {
        let s = line.summary
        pupilHref = SiteURL.pupil(line.pupil.upn)
        name = line.pupil.displayName
        year = line.pupil.yearGroup
        group = line.pupil.registrationGroup
        possible = s.possible
        authorised = s.authorised
        unauthorised = s.unauthorised
        attendance = s.attendancePercentText
        band = s.band.map { text($0.textKey) }
        bandClass = s.band?.cssClass
    }
}

/// The headings of tables of figures (`pupils-table`, the pupil's page, the printed register).
struct PupilColumns: Sendable {
    let colPupil: String
    let colYear: String
    let colGroup: String
    let colPossible: String
    let colAttended: String
    let colAuthorised: String
    let colUnauthorised: String
    let colAttendance: String
    let colBand: String
    let colPersistent: String

    init(text: (String) -> String) {
        colPupil = text("column.pupil")
        colYear = text("column.year")
        colGroup = text("column.group")
        colPossible = text("column.possible")
        colAttended = text("column.attended")
        colAuthorised = text("column.authorised")
        colUnauthorised = text("column.unauthorised")
        colAttendance = text("column.attendance")
        colBand = text("column.band")
        colPersistent = text("column.persistent")
    }
}

/// Each role's home page: the schools it may see with this week's figure, the pupils it looks after, the
/// procedure queues it works, and for the authority the continuous absences to report.
struct HomePage: PageModel {
    static let template = "home"

    struct Link: Sendable {
        let href: String
        let label: String
    }

    struct ContinuousRow: Sendable {
        let pupilHref: String
        let name: String
        let school: String
        let from: String
        let days: Int
        let status: String
    }

    /// The regulations' return: the education lead's (every school) or an ESW's (their schools).
    struct Continuous: Sendable {
        let continuousTitle: String
        let continuousIntro: String
        let continuous: [ContinuousRow]
        let hasContinuous: Bool
        let noContinuous: String
        let continuousPupilLabel: String
        let continuousSchoolLabel: String
        let continuousFromLabel: String
        let continuousDaysLabel: String
        let continuousStatusLabel: String
    }

    /// A mentee on their mentor's home page.
    struct Mentee: Sendable {
        let href: String
        let name: String
        let form: String
        let since: String
        let before: String
        let after: String
        let change: String
    }

    let title: String
    let greeting: String
    let roles: [String]
    let actionLinks: [Link]
    let schoolsTitle: String
    let schoolsCaption: String
    let week: String
    let schools: [HomeController.SchoolLine]
    let hasSchools: Bool
    let columnSchool: String
    let columnLaestab: String
    let columnPhase: String
    let columnPupils: String
    let columnAttendance: String
    let columnBand: String
    let showContinuous: Continuous?
    let showPupils: Bool
    let pupilsTitle: String?
    let pupils: [PupilRow]
    let hasPupils: Bool
    /// The list spans schools: each row names its school.
    let showSchool: Bool
    /// A member of staff's list: the change since half-term and the next action due.
    let showWork: Bool
    let noPupils: String
    let columns: PupilColumns
    /// A mentor's mentees, with their attendance before and since the mentoring began.
    let mentees: [Mentee]
    let hasMentees: Bool
    /// The Education Lead's form to propose a target to every school.
    let proposeAction: String?
    let notice: String?
    let error: String?

    static func make(
        name: String, roles: [String], actionLinks: [Link], week: DateRange, schools: [HomeController.SchoolLine],
        continuous: [ContinuousRow]?, continuousDays: Int, pupils: HomeController.Pupils?,
        proposeAction: String? = nil, mentees: [Mentee] = [], notice: String? = nil, error: String? = nil,
        text: @escaping (String, [String: String]) -> String
    ) -> HomePage {
        let plain = { (key: String) in text(key, [:]) }
        return HomePage(
            title: plain("home.pageTitle"), greeting: text("home.greeting", ["name": name]), roles: roles,
            actionLinks: actionLinks, schoolsTitle: plain("home.title"), schoolsCaption: plain("home.title"),
            week: text("home.week", ["from": DateText.day(week.start, text), "to": DateText.day(week.end, text)]),
            schools: schools,
            hasSchools: !schools.isEmpty, columnSchool: plain("home.column.school"),
            columnLaestab: plain("home.column.laestab"), columnPhase: plain("home.column.phase"),
            columnPupils: plain("home.column.pupils"), columnAttendance: plain("home.column.attendance"),
            columnBand: plain("home.column.band"),
            showContinuous: continuous.map { rows in
                Continuous(
                    continuousTitle: plain("home.continuousTitle"),
                    continuousIntro: text("home.continuousIntro", ["days": String(continuousDays)]),
                    continuous: rows, hasContinuous: !rows.isEmpty, noContinuous: plain("home.noContinuous"),
                    continuousPupilLabel: plain("home.continuous.pupil"),
                    continuousSchoolLabel: plain("home.continuous.school"),
                    continuousFromLabel: plain("home.continuous.from"),
                    continuousDaysLabel: plain("home.continuous.days"),
                    continuousStatusLabel: plain("home.continuous.status"))
            }, showPupils: pupils != nil, pupilsTitle: pupils?.title, pupils: pupils?.rows ?? [],
            hasPupils: !(pupils?.rows ?? []).isEmpty, showSchool: pupils?.showSchool ?? false,
            showWork: pupils?.showWork ?? false,
            noPupils: plain("home.noPupils"), columns: PupilColumns(text: plain), mentees: mentees,
            hasMentees: !mentees.isEmpty, proposeAction: proposeAction,
            notice: notice, error: error)
    }
}
