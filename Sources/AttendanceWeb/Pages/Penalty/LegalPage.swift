import AttendanceCore
import AttendanceStore
import Foundation

/// The Education Lead's prosecutions and orders: each with its steps (day, what, who) and the form for the step
/// that may follow; and the form to open one on an ESW case or a child missing education. Nothing is filed with a
/// court from here: the page keeps the record.
struct LegalPage: PageModel {
    static let template = "legal"

    struct Option: Sendable {
        let value: String
        let label: String
    }

    struct Proceeding: Sendable {
        let id: Int
        let heading: String
        let pupilHref: String
        let origin: String
        let packHref: String?
        let packLabel: String
        let steps: [String]
        let stepAction: String?
        let nextSteps: [Option]
    }

    let title: String
    let notice: String?
    let error: String?
    let proceedings: [Proceeding]
    let openAction: String
    let kinds: [Option]
    let cases: [Option]
    let today: String

    static func make(
        proceedings: [LegalProceeding], pupils: [UPN: Pupil], packs: [Int: String], eswCases: [EswCase],
        missing: [MissingEducationCase], today: LocalDate, names: [String: String], notice: String?, error: String?,
        text: @escaping PupilPage.Text
    ) -> LegalPage {
        let plain = { (key: String) in text(key, [:]) }
        func name(_ upn: UPN) -> String { pupils[upn]?.displayName ?? upn.value }
        return LegalPage(
            title: plain("legal.title"), notice: notice, error: error,
            proceedings: proceedings.map { found in
                Proceeding(
                    id: found.id,
                    heading: plain("legal.kind.\(found.kind.rawValue)") + ": " + name(found.upn),
                    pupilHref: SiteURL.pupil(found.upn),
                    origin: text("legal.origin.\(found.origin.rawValue)", ["id": String(found.originID)]),
                    packHref: packs[found.id], packLabel: plain("legal.pack"),
                    steps: found.events.map { event in
                        text(
                            "legal.stepLine",
                            [
                                "day": DateText.day(event.on, text), "step": plain("legal.step.\(event.step.rawValue)"),
                                "detail": event.detail, "by": RecordWords.actor(event.by, names: names, text: text),
                            ])
                    },
                    stepAction: found.isOpen ? SiteURL.legalStep.path(["id": String(found.id)]) : nil,
                    nextSteps: found.next.map { Option(value: $0.rawValue, label: plain("legal.step.\($0.rawValue)")) })
            }, openAction: SiteURL.legal.path(),
            kinds: LegalKind.allCases.map { Option(value: $0.rawValue, label: plain("legal.kind.\($0.rawValue)")) },
            cases: eswCases.filter(\.status.isOpen).map {
                Option(
                    value: "esw_case/\($0.id)",
                    label: text("legal.origin.esw_case", ["id": String($0.id)]) + ": " + name($0.upn))
            }
                + missing.map {
                    Option(
                        value: "missing_education/\($0.id)",
                        label: text("legal.origin.missing_education", ["id": String($0.id)]) + ": " + name($0.upn))
                }, today: today.iso)
    }
}
