import AttendanceCore
import AttendanceStore
import Foundation

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
            [
                "start": DateText.day(plan.start, text), "end": DateText.day(plan.end, text),
                "target": String(plan.targetPercent),
            ])
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
        _ plan: ImprovementPlan, school: LAESTAB, caseID: EswCaseID, today: LocalDate, names: [String: String],
        text: @escaping PupilPage.Text
    ) -> PlanView {
        let plain = { (key: String) in text(key, [:]) }
        let toReview = plan.outcome == nil ? plan.weeksToReview(today: today) : []
        return PlanView(
            heading: text(
                "plan.heading",
                [
                    "start": DateText.day(plan.start, text), "end": DateText.day(plan.end, text),
                    "target": String(plan.targetPercent),
                ]),
            actions: [
                .init(label: plain("plan.school"), value: plan.schoolActions),
                .init(label: plain("plan.family"), value: plan.familyActions),
                .init(label: plain("plan.pupil"), value: plan.pupilActions),
            ],
            weeks: (1...ImprovementPlan.weeks).compactMap { number in
                guard let days = plan.week(number) else { return nil }
                let review = plan.reviews.first { $0.week == number }
                return Week(
                    label: text(
                        "plan.week",
                        [
                            "week": String(number), "from": DateText.day(days.start, text),
                            "to": DateText.day(days.end, text),
                        ]),
                    review: review.map {
                        text(
                            "plan.review",
                            [
                                "percent": $0.percent, "attended": String($0.attended), "possible": String($0.possible),
                                "by": RecordWords.actor($0.by, names: names, text: text),
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
