import AttendanceCore
import AttendanceStore
import Foundation

/// A case as the ESW pages list it: the pupil, the school and its area, where the case stands, who has it and
/// what comes next.
struct EswCaseLine: Sendable {
    let id: EswCaseID
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
                    "date": DateText.day(found.referredOn, text),
                    "by": RecordWords.actor(found.referredBy, names: names, text: text),
                    "source": plain("esw.source.\(found.source.rawValue)"),
                ]), allocatedTo: found.allocatedTo.map { names[$0] ?? $0 } ?? "",
            nextStep: found.nextStep.map { EswWords.nextStep($0, text: text) } ?? "",
            nextStepOn: found.nextStepOn.map { DateText.day($0, text) } ?? "")
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
