import AttendanceCore
import AttendanceStore
import Foundation

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
                            "date": DateText.day(found.referredOn, text),
                            "by": RecordWords.actor(found.referredBy, names: names, text: text),
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
                                "on": found.nextStepOn.map { DateText.day($0, text) } ?? plain("esw.noDate"),
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
            DateText.moment(stored: event.at, text) + ": "
            + (Catalogue.known("esw.step.\(event.step)", text) ?? event.step) + ", "
            + RecordWords.actor(event.by, names: names, text: text)
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
                        "kind": kind, "on": DateText.day(stored: event.data["on"] ?? "", text),
                        "with": event.data["with"] ?? "",
                        "outcome": event.data["outcome"] ?? "",
                    ])
            if let next = event.data["next_step"] {
                line +=
                    " "
                    + text(
                        "esw.nextLine",
                        [
                            "step": next,
                            "on": event.data["next_step_on"].map { DateText.day(stored: $0, text) }
                                ?? plain("esw.noDate"),
                        ])
            }
        case "close":
            if let outcome = event.data["outcome"] { line += ": " + plain("esw.outcome.\(outcome)") }
        case "panel_scheduled":
            line +=
                ": "
                + text(
                    "esw.panelScheduledLine",
                    [
                        "round": plain("panel.round.\(event.data["round"] ?? "1")"),
                        "on": DateText.day(stored: event.data["panel_on"] ?? "", text),
                        "time": event.data["time"] ?? "", "place": event.data["place"] ?? "",
                    ])
        case "panel":
            line +=
                ": " + DateText.day(stored: event.data["panel_on"] ?? "", text) + " – "
                + (event.data["attendance"].flatMap { Catalogue.known("panel.attendance.\($0)", text) } ?? "")
        default: break
        }
        if let reason = event.reason, !reason.isEmpty { line += " – " + reason }
        return line
    }
}
