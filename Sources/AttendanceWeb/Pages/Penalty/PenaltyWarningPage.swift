import AttendanceCore
import Foundation

/// The head's second step before a penalty notice warning goes: the criteria met this term with their counts,
/// and the letter exactly as each parent will receive it. Nothing is sent until the head confirms here.
struct PenaltyWarningPage: PageModel {
    static let template = "penalty-warning"

    let title: String
    let criteria: [String]
    /// Each parent's letter: the rendered articles of the letter document, headings one level down.
    let letters: [String]
    let confirmAction: String
    let cancelHref: String

    static func make(
        pupil: Pupil, laestab: LAESTAB, actionID: ActionID, figures: PenaltyTerm?, documents: [String],
        text: @escaping PupilPage.Text
    ) -> PenaltyWarningPage {
        let plain = { (key: String) in text(key, [:]) }
        let met = figures?.met ?? []
        return PenaltyWarningPage(
            title: text("penaltyWarning.title", ["name": pupil.displayName]),
            criteria: met.isEmpty
                ? [plain("penaltyWarning.noneMet")]
                : met.map { criterion in
                    plain("criterion.\(criterion)") + (figures?.counts[criterion].map { " (\($0))" } ?? "")
                }, letters: documents.map(Self.articles),
            confirmAction: SiteURL.school(.penaltyWarning, laestab, id: actionID),
            cancelHref: SiteURL.school(.actions, laestab))
    }

    /// The letter's own articles out of its document (whose styles the page's policy would not apply), so that
    /// they sit in the page under its headings.
    static func articles(_ document: String) -> String {
        guard let start = document.range(of: "<body>")?.upperBound,
            let end = document.range(of: "</body>", options: .backwards)?.lowerBound, start <= end
        else { return "" }
        return String(document[start..<end]).replacingOccurrences(of: "<h1>", with: "<h3>")
            .replacingOccurrences(of: "</h1>", with: "</h3>")
    }
}
