import AttendanceCore
import AttendanceStore

/// A value and its words, for a select's options.
struct Option: Sendable {
    let value: String
    let label: String
}

/// The attendance administrator's day: registers still missing marks after they closed (with the form tutor
/// named), the absences with no reason with every contact in order and a form to log each attempt, and the
/// reasons waiting for the head's confirmation.
struct OfficeDayPage: PageModel {
    static let template = "office"

    struct Missing: Sendable {
        let line: String
        let tutor: String
        let href: String
    }

    struct Absent: Sendable {
        let upn: String
        let pupilHref: String
        let name: String
        let group: String
        let sessions: String
        let contacts: [String]
        let contactNames: [String]
        let attempts: [String]
        let contactAction: String
        let methods: [Option]
        let outcomes: [Option]
        let reasonCodes: [ReasonCode]
    }

    struct ReasonCode: Sendable {
        let code: String
        let name: String
    }

    struct Proposal: Sendable {
        let text: String
        let confirmAction: String
        let confirmLabel: String
        let canConfirm: Bool
    }

    let title: String
    let day: DayPicker?
    let coming: [Coming]
    let hasComing: Bool
    let notice: String?
    let error: String?
    let missingTitle: String
    let noMissing: String
    let missing: [Missing]
    let noReasonTitle: String
    let noneAbsent: String
    let absent: [Absent]
    let hasAbsent: Bool
    let firstDayAction: String?
    let firstDayLabel: String?
    let pupilLabel: String
    let groupLabel: String
    let sessionLabel: String
    let contactsLabel: String
    let logLabel: String
    let methodLabel: String
    let whoLabel: String
    let outcomeLabel: String
    let notesLabel: String
    let reasonLabel: String
    let noReasonLabel: String
    let saveLabel: String
    let proposalsTitle: String
    let proposals: [Proposal]
    let hasProposals: Bool
    let reportsTitle: String
    let reports: [Report]
    let hasReports: Bool
    let changesTitle: String
    /// Contact details parents changed in the last two weeks, each in words: who, when, what before and after.
    let changes: [String]
    let hasChanges: Bool
    let codeLabel: String
    /// Children of the school a Community Education Patrol found out of school that day.
    let patrolTitle: String
    let patrols: [String]
    let hasPatrols: Bool
    /// Pupils the record suggests may be missing education, for the school to refer.
    let candidatesTitle: String
    let candidatesIntro: String
    let candidates: [CandidateLine]
    let hasCandidates: Bool
    /// Patrol entries naming the school that no pupil was matched to, to match by hand.
    let unmatchedTitle: String
    let unmatchedIntro: String
    let unmatched: [UnmatchedPatrol]
    let hasUnmatched: Bool
    let upnLabel: String
    let matchLabel: String

    /// An absence a parent reported for the day: what they said, the code it proposes, and (for the head or a
    /// delegate) the form to confirm it with the code they choose.
    struct Report: Sendable {
        let id: Int
        let name: String
        let pupilHref: String
        let group: String
        let text: String
        let status: String
        let confirmAction: String?
        let codes: [Chosen]
        let confirmLabel: String
    }

    /// The day shown and a step to the school days either side, so the office works ahead (a parent's report for
    /// Monday is seen and confirmed on Friday) and back.
    struct DayPicker: Sendable {
        let date: String
        let action: String
        let previousHref: String?
        let previousLabel: String?
        let nextHref: String?
        let nextLabel: String?
        /// Said when the day shown is not a school day (a weekend, a holiday, a closure).
        let notASchoolDay: String?
    }

    /// A coming school day with parents' reports, linked to its own office page.
    struct Coming: Sendable {
        let href: String
        let line: String
    }

    static func make(
        date: LocalDate, missing: [Missing], absent: [Absent], proposals: [Proposal], reports: [Report] = [],
        changes: [String] = [], patrols: [String] = [], candidates: [CandidateLine] = [],
        unmatched: [UnmatchedPatrol] = [], firstDayAction: String?, day: DayPicker? = nil, coming: [Coming] = [],
        notice: String?, error: String?,
        text: (String, [String: String]) -> String
    ) -> OfficeDayPage {
        OfficeDayPage(
            title: text("office.title", ["date": DateText.day(date, text)]), day: day, coming: coming,
            hasComing: !coming.isEmpty,
            notice: notice, error: error,
            missingTitle: text("office.missing", [:]), noMissing: text("office.noMissing", [:]), missing: missing,
            noReasonTitle: text("office.noReason", [:]), noneAbsent: text("office.noneAbsent", [:]), absent: absent,
            hasAbsent: !absent.isEmpty, firstDayAction: firstDayAction,
            firstDayLabel: firstDayAction.map { _ in text("messages.firstDay", [:]) },
            pupilLabel: text("register.pupil", [:]), groupLabel: text("registers.group", [:]),
            sessionLabel: text("pupil.session", [:]), contactsLabel: text("office.contacts", [:]),
            logLabel: text("contact.log", [:]), methodLabel: text("contact.method", [:]),
            whoLabel: text("contact.who", [:]), outcomeLabel: text("contact.outcome", [:]),
            notesLabel: text("contact.notes", [:]), reasonLabel: text("contact.reason", [:]),
            noReasonLabel: text("contact.noReason", [:]), saveLabel: text("contact.save", [:]),
            proposalsTitle: text("contact.proposals", [:]), proposals: proposals, hasProposals: !proposals.isEmpty,
            reportsTitle: text("office.reports", [:]), reports: reports, hasReports: !reports.isEmpty,
            changesTitle: text("office.contactChanges", [:]), changes: changes, hasChanges: !changes.isEmpty,
            codeLabel: text("office.reportCode", [:]),
            patrolTitle: text("patrol.officeTitle", ["date": DateText.day(date, text)]),
            patrols: patrols, hasPatrols: !patrols.isEmpty, candidatesTitle: text("cme.candidatesTitle", [:]),
            candidatesIntro: text("cme.officeCandidatesIntro", [:]), candidates: candidates,
            hasCandidates: !candidates.isEmpty, unmatchedTitle: text("patrol.unmatchedTitle", [:]),
            unmatchedIntro: text("patrol.unmatchedIntro", [:]), unmatched: unmatched, hasUnmatched: !unmatched.isEmpty,
            upnLabel: text("patrol.matchPupil", [:]), matchLabel: text("patrol.match", [:]))
    }
}

/// The late book: a pupil arriving late is recorded with the time, which decides L or U.
struct LateBookPage: PageModel {
    static let template = "late-book"

    /// A pupil to choose: the text the list offers (name, form and UPN, so that a few letters of either find them).
    struct Choice: Sendable {
        let value: String
    }

    struct Arrival: Sendable {
        let name: String
        let group: String
        let session: String
        let time: String
        let minutes: Int
        let code: String
    }

    let title: String
    let intro: String
    let pupilLabel: String
    let pupilHint: String
    let dateLabel: String
    let arrivalLabel: String
    let record: String
    let action: String
    /// What was typed, kept after a refusal.
    let pupil: String
    let date: String
    let arrival: String
    let notice: String?
    let error: String?
    let choices: [Choice]
    let arrivalsTitle: String
    let arrivals: [Arrival]
    let hasArrivals: Bool
    let noArrivals: String
    let columnPupil: String
    let columnGroup: String
    let columnSession: String
    let columnTime: String
    let columnMinutes: String
    let columnCode: String

    /// How the list names a pupil; the server finds them again by the UPN at its end.
    static func choiceText(_ pupil: Pupil) -> String {
        "\(pupil.displayName) – \(pupil.registrationGroup) – \(pupil.upn.value)"
    }

    static func make(
        school: School, date: LocalDate, pupil: String, arrival: String, roll: [Pupil], arrivals: [LateArrival],
        notice: String?, error: String?, text: @escaping (String, [String: String]) -> String
    ) -> LateBookPage {
        let plain = { (key: String) in text(key, [:]) }
        return LateBookPage(
            title: plain("late.title"), intro: plain("late.intro"), pupilLabel: plain("late.pupil"),
            pupilHint: plain("late.pupilHint"), dateLabel: plain("late.date"), arrivalLabel: plain("late.arrival"),
            record: plain("late.record"), action: SiteURL.school(.lateBook, school.laestab), pupil: pupil,
            date: date.iso, arrival: arrival, notice: notice, error: error,
            choices: roll.sorted { $0.displayName < $1.displayName }.map { Choice(value: choiceText($0)) },
            arrivalsTitle: text("late.arrivals", ["date": DateText.day(date, text)]),
            arrivals: arrivals.map { late in
                let times = school.times(for: late.session.half)
                let at = times.start.minutesSinceMidnight + late.minutesLate
                return Arrival(
                    name: late.pupil.displayName, group: late.pupil.registrationGroup,
                    session: plain("session.\(late.session.half.rawValue)"),
                    time: TimeOfDay(hour: at / 60 % 24, minute: at % 60)?.description ?? "", minutes: late.minutesLate,
                    code: late.code)
            }, hasArrivals: !arrivals.isEmpty, noArrivals: plain("late.noArrivals"),
            columnPupil: plain("column.pupil"), columnGroup: plain("column.group"),
            columnSession: plain("late.session"), columnTime: plain("late.time"),
            columnMinutes: plain("late.minutes"), columnCode: plain("late.code"))
    }
}
