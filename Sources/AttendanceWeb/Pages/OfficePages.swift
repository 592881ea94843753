import AttendanceCore

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

    static func make(
        date: LocalDate, missing: [Missing], absent: [Absent], proposals: [Proposal], firstDayAction: String?,
        notice: String?, error: String?, text: (String, [String: String]) -> String
    ) -> OfficeDayPage {
        OfficeDayPage(
            title: text("office.title", ["date": date.iso]), notice: notice, error: error,
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
            proposalsTitle: text("contact.proposals", [:]), proposals: proposals, hasProposals: !proposals.isEmpty)
    }
}

/// The late book: a pupil arriving late is recorded with the time, which decides L or U.
struct LateBookPage: PageModel {
    static let template = "late-book"

    let title: String
    let intro: String
    let upnLabel: String
    let arrivalLabel: String
    let record: String
    let action: String
    /// What was typed, kept after a refusal.
    let upn: String
    let arrival: String
    let notice: String?
    let error: String?

    static func make(
        school: LAESTAB, upn: String, arrival: String, notice: String?, error: String?, text: (String) -> String
    ) -> LateBookPage {
        LateBookPage(
            title: text("late.title"), intro: text("late.intro"), upnLabel: text("late.upn"),
            arrivalLabel: text("late.arrival"), record: text("late.record"), action: SiteURL.school(.lateBook, school),
            upn: upn, arrival: arrival, notice: notice, error: error)
    }
}
