import AttendanceCore
import AttendanceStore
import Foundation

/// A case as the ESW pages list it: the pupil, the school and its area, where the case stands, who has it and
/// what comes next.
struct EswCaseLine: Sendable {
    let id: Int
    let name: String
    let href: String
    let school: String
    let area: String
    let status: String
    let referred: String
    let allocatedTo: String
    let nextStep: String
    let nextStepOn: String

    static func make(
        _ found: EswCase, pupil: Pupil?, school: School?, names: [String: String], text: @escaping PupilPage.Text
    ) -> EswCaseLine {
        let plain = { (key: String) in text(key, [:]) }
        return EswCaseLine(
            id: found.id, name: pupil?.displayName ?? found.upn.value,
            href: SiteURL.school(.eswCase, found.school, id: found.id),
            school: (school?.name ?? "") + " (\(found.school))", area: EswWords.area(school?.eswArea, text: text),
            status: plain("esw.status.\(found.status.rawValue)"),
            referred: text(
                "esw.referredLine",
                [
                    "date": found.referredOn.iso, "by": RecordWords.actor(found.referredBy, text: text),
                    "source": plain("esw.source.\(found.source.rawValue)"),
                ]), allocatedTo: found.allocatedTo.map { names[$0] ?? $0 } ?? "",
            nextStep: found.nextStep.map { EswWords.nextStep($0, text: text) } ?? "",
            nextStepOn: found.nextStepOn?.iso ?? "")
    }
}

/// The authority's ESW inbox: each school's referrals waiting, by area, with the form's content from the record
/// and the allocation and return forms; below, the open cases and who has them.
struct EswInboxPage: PageModel {
    static let template = "esw-inbox"

    struct Referral: Sendable {
        let line: EswCaseLine
        let facts: [PenaltyPacket.Fact]
        let workers: [Option]
        let noWorkers: String?
        let allocateAction: String
        let returnAction: String
    }

    struct Area: Sendable {
        let title: String
        let referrals: [Referral]
    }

    let title: String
    let intro: String
    let notice: String?
    let error: String?
    let areas: [Area]
    let noReferrals: String
    let openTitle: String
    let open: [EswCaseLine]
    let hasOpen: Bool
    let words: EswWords
}

/// An ESW's caseload (every school's for the education lead): the open cases at their schools, the soonest next
/// step first.
struct EswCaseloadPage: PageModel {
    static let template = "esw-caseload"

    let title: String
    let intro: String
    let cases: [EswCaseLine]
    let hasCases: Bool
    let noCases: String
    /// Each of the ESW's schools, to its list for the next visit.
    let visitsTitle: String
    let visits: [PageFrame.Link]
    let words: EswWords
}

/// One case: the referral with what the record shows (figures, the school's timeline, the contacts), the case's
/// log, and the forms its standing allows.
struct EswCasePage: PageModel {
    static let template = "esw-case"

    let title: String
    let notice: String?
    let error: String?
    let line: EswCaseLine
    let facts: [PenaltyPacket.Fact]
    let timeline: PenaltyPackPage.Table
    let contactsTitle: String
    let contacts: [String]
    let logTitle: String
    let log: [String]
    let logAction: String?
    let closeAction: String?
    let today: String
    let words: EswWords
    /// The plan under way (or the last), earlier plans as lines, and the form to start one.
    let plan: PlanView?
    let earlierPlans: [String]
    let startPlanAction: String?
    let planWords: PlanWords
    /// The case's panels, the form to schedule one, and their labels.
    let panels: [PanelView]
    let schedulePanelAction: String?
    let panelWords: PanelWords
}

/// A panel as the case page shows it, with the form its state allows: whether the parents came (and, if they did
/// not come to a first panel, the second invitation's day, time and place), or the outcome.
struct PanelView: Sendable {
    let id: Int
    let line: String
    let attendanceAction: String?
    let needsSecond: Bool
    let outcomeAction: String?

    static func make(
        _ panel: AttendancePanel, school: LAESTAB, caseID: Int, today: LocalDate, text: @escaping PupilPage.Text
    ) -> PanelView {
        let plain = { (key: String) in text(key, [:]) }
        var line = text(
            "panel.line",
            [
                "round": plain("panel.round.\(panel.round)"), "on": panel.on.iso, "time": panel.time,
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

/// The pupil page's part for the school's staff: the pupil's ESW cases, each linked for those who work them,
/// and the school's referral form while no case is open.
struct EswSection: Sendable {
    struct Case: Sendable {
        let line: String
        let href: String?
    }

    let eswTitle: String
    let eswNotice: String?
    let eswCases: [Case]
    let plans: [String]
    let noEswCases: String
    let referAction: String?
    let referIntro: String
    let notesLabel: String
    let concernsLabel: String
    let refer: String

    static func make(
        _ cases: [EswCase], plans: [ImprovementPlan], school: LAESTAB, upn: UPN, mayRefer: Bool, mayOpen: Bool,
        saved: Bool, names: [String: String], text: @escaping PupilPage.Text
    ) -> EswSection {
        let plain = { (key: String) in text(key, [:]) }
        return EswSection(
            eswTitle: plain("esw.pupilTitle"), eswNotice: saved ? plain("esw.referredNotice") : nil,
            eswCases: cases.map { found in
                var line =
                    text(
                        "esw.referredLine",
                        [
                            "date": found.referredOn.iso, "by": RecordWords.actor(found.referredBy, text: text),
                            "source": plain("esw.source.\(found.source.rawValue)"),
                        ]) + " – " + plain("esw.status.\(found.status.rawValue)")
                if let to = found.allocatedTo { line += ", " + (names[to] ?? to) }
                if let next = found.nextStep {
                    line +=
                        "; "
                        + text(
                            "esw.nextLine",
                            [
                                "step": EswWords.nextStep(next, text: text),
                                "on": found.nextStepOn?.iso ?? plain("esw.noDate"),
                            ])
                }
                return Case(line: line, href: mayOpen ? SiteURL.school(.eswCase, found.school, id: found.id) : nil)
            }, plans: plans.map { PlanView.line($0, text: text) }, noEswCases: plain("esw.noPupilCases"),
            referAction: mayRefer && !cases.contains(where: \.status.isOpen)
                ? SiteURL.schoolPupil(.referToEsw, school, upn) : nil,
            referIntro: plain("esw.referIntro"), notesLabel: plain("esw.notes"), concernsLabel: plain("esw.concerns"),
            refer: plain("esw.refer"))
    }
}

/// The ESW pages' labels and choices, said once.
struct EswWords: Sendable {
    let pupil: String
    let school: String
    let area: String
    let status: String
    let referred: String
    let allocatedTo: String
    let nextStep: String
    let nextStepOn: String
    let allocate: String
    let allocateTo: String
    let returnReason: String
    let giveBack: String
    let kind: String
    let kinds: [Option]
    let on: String
    let with: String
    let outcome: String
    let log: String
    let closeOutcome: String
    let outcomes: [Option]
    let closeNote: String
    let close: String

    init(text: @escaping PupilPage.Text) {
        let plain = { (key: String) in text(key, [:]) }
        pupil = plain("esw.pupil")
        school = plain("esw.school")
        area = plain("esw.area")
        status = plain("esw.statusLabel")
        referred = plain("esw.referred")
        allocatedTo = plain("esw.allocatedTo")
        nextStep = plain("esw.nextStep")
        nextStepOn = plain("esw.nextStepOn")
        allocate = plain("esw.allocate")
        allocateTo = plain("esw.allocateTo")
        returnReason = plain("esw.returnReason")
        giveBack = plain("esw.return")
        kind = plain("esw.kind")
        kinds = EswEntryKind.allCases.map { Option(value: $0.rawValue, label: plain("esw.kind.\($0.rawValue)")) }
        on = plain("esw.on")
        with = plain("esw.with")
        outcome = plain("esw.outcome")
        log = plain("esw.log")
        closeOutcome = plain("esw.closeOutcome")
        outcomes = EswOutcome.allCases.map { Option(value: $0.rawValue, label: plain("esw.outcome.\($0.rawValue)")) }
        closeNote = plain("esw.closeNote")
        close = plain("esw.close")
    }

    /// A next step as the ESW wrote it, or (one the program set) in words.
    static func nextStep(_ stored: String, text: PupilPage.Text) -> String {
        Catalogue.known("esw.next.\(stored)", text) ?? stored
    }

    static func area(_ area: Int?, text: PupilPage.Text) -> String {
        area.map { text("esw.areaNumber", ["area": String($0)]) } ?? text("esw.noArea", [:])
    }

    /// A case's step in words: when, what, who, and what was recorded with it.
    static func step(_ event: EswEvent, names: [String: String], text: @escaping PupilPage.Text) -> String {
        let plain = { (key: String) in text(key, [:]) }
        var line =
            String(event.at.prefix(16)).replacingOccurrences(of: "T", with: " ") + ": "
            + (Catalogue.known("esw.step.\(event.step)", text) ?? event.step) + ", "
            + RecordWords.actor(event.by, text: text)
        switch event.step {
        case "refer":
            if let source = event.data["source"] { line += " (" + plain("esw.source.\(source)") + ")" }
        case "allocate":
            if let to = event.data["to"] { line += ": " + (names[to] ?? to) }
        case "log":
            let kind = event.data["kind"].flatMap { Catalogue.known("esw.kind.\($0)", text) } ?? ""
            line +=
                ": "
                + text(
                    "esw.logLine",
                    [
                        "kind": kind, "on": event.data["on"] ?? "", "with": event.data["with"] ?? "",
                        "outcome": event.data["outcome"] ?? "",
                    ])
            if let next = event.data["next_step"] {
                line +=
                    " " + text("esw.nextLine", ["step": next, "on": event.data["next_step_on"] ?? plain("esw.noDate")])
            }
        case "close":
            if let outcome = event.data["outcome"] { line += ": " + plain("esw.outcome.\(outcome)") }
        case "panel_scheduled":
            line +=
                ": "
                + text(
                    "esw.panelScheduledLine",
                    [
                        "round": plain("panel.round.\(event.data["round"] ?? "1")"), "on": event.data["panel_on"] ?? "",
                        "time": event.data["time"] ?? "", "place": event.data["place"] ?? "",
                    ])
        case "panel":
            line +=
                ": " + (event.data["panel_on"] ?? "") + " – "
                + (event.data["attendance"].flatMap { Catalogue.known("panel.attendance.\($0)", text) } ?? "")
        default: break
        }
        if let reason = event.reason, !reason.isEmpty { line += " – " + reason }
        return line
    }
}

/// A case's Attendance Improvement Plan as the case page shows it: the target and each party's actions, the six
/// weeks with their reviews, and the forms its state allows; earlier plans as lines.
struct PlanView: Sendable {
    struct Week: Sendable {
        let label: String
        let review: String
    }

    let heading: String
    let actions: [PenaltyPacket.Fact]
    let weeks: [Week]
    let reviewAction: String?
    let reviewWeeks: [Option]
    let outcomeAction: String?
    let outcomes: [Option]
    let nextSteps: [Option]

    /// The plan in a line, for the pupil's page and the case's earlier plans.
    static func line(_ plan: ImprovementPlan, text: PupilPage.Text) -> String {
        var line = text(
            "plan.line",
            ["start": plan.start.iso, "end": plan.end.iso, "target": String(plan.targetPercent)])
        let weeks = plan.reviews.map { text("plan.weekShort", ["week": String($0.week), "percent": $0.percent]) }
        if !weeks.isEmpty { line += ": " + weeks.joined(separator: ", ") }
        if let outcome = plan.outcome, let next = plan.nextStep {
            line +=
                "; "
                + text(
                    "plan.ended",
                    [
                        "outcome": text("plan.outcome.\(outcome.rawValue)", [:]),
                        "next": text("plan.next.\(next.rawValue)", [:]),
                    ])
        }
        return line
    }

    static func make(
        _ plan: ImprovementPlan, school: LAESTAB, caseID: Int, today: LocalDate, text: @escaping PupilPage.Text
    ) -> PlanView {
        let plain = { (key: String) in text(key, [:]) }
        let toReview = plan.outcome == nil ? plan.weeksToReview(today: today) : []
        return PlanView(
            heading: text(
                "plan.heading", ["start": plan.start.iso, "end": plan.end.iso, "target": String(plan.targetPercent)]),
            actions: [
                .init(label: plain("plan.school"), value: plan.schoolActions),
                .init(label: plain("plan.family"), value: plan.familyActions),
                .init(label: plain("plan.pupil"), value: plan.pupilActions),
            ],
            weeks: (1...ImprovementPlan.weeks).compactMap { number in
                guard let days = plan.week(number) else { return nil }
                let review = plan.reviews.first { $0.week == number }
                return Week(
                    label: text("plan.week", ["week": String(number), "from": days.start.iso, "to": days.end.iso]),
                    review: review.map {
                        text(
                            "plan.review",
                            [
                                "percent": $0.percent, "attended": String($0.attended), "possible": String($0.possible),
                                "by": RecordWords.actor($0.by, text: text),
                            ]) + ($0.note.isEmpty ? "" : " – " + $0.note)
                    } ?? plain(days.end <= today ? "plan.notReviewed" : "plan.notOver"))
            },
            reviewAction: toReview.isEmpty ? nil : SiteURL.school(.reviewPlan, school, id: caseID),
            reviewWeeks: toReview.map {
                Option(value: String($0), label: text("plan.weekNumber", ["week": String($0)]))
            },
            outcomeAction: plan.outcome == nil && today >= plan.end
                ? SiteURL.school(.endPlan, school, id: caseID) : nil,
            outcomes: PlanOutcome.allCases.map {
                Option(value: $0.rawValue, label: plain("plan.outcome.\($0.rawValue)"))
            },
            nextSteps: PlanNextStep.allCases.map {
                Option(value: $0.rawValue, label: plain("plan.next.\($0.rawValue)"))
            })
    }
}

/// The plan forms' labels.
struct PlanWords: Sendable {
    let title: String
    let startTitle: String
    let start: String
    let target: String
    let school: String
    let family: String
    let pupil: String
    let begin: String
    let week: String
    let note: String
    let review: String
    let outcome: String
    let next: String
    let end: String
    let earlier: String

    init(text: @escaping PupilPage.Text) {
        let plain = { (key: String) in text(key, [:]) }
        title = plain("plan.title")
        startTitle = plain("plan.startTitle")
        start = plain("plan.start")
        target = plain("plan.target")
        school = plain("plan.school")
        family = plain("plan.family")
        pupil = plain("plan.pupil")
        begin = plain("plan.begin")
        week = plain("plan.reviewWeek")
        note = plain("plan.note")
        review = plain("plan.record")
        outcome = plain("plan.outcomeLabel")
        next = plain("plan.nextLabel")
        end = plain("plan.end")
        earlier = plain("plan.earlier")
    }
}
