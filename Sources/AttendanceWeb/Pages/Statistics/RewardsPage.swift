import AttendanceCore
import AttendanceStore

/// The rewards page: the period's 100% and most improved pupils, the draw and the draws made, and certificates.
struct RewardsPage: PageModel {
    static let template = "rewards"

    struct PeriodLink: Sendable {
        let label: String
        let href: String
        let current: Bool
    }

    struct FullRow: Sendable {
        let name: String
        let href: String
        let form: String
        let sessions: String
    }

    struct ImprovedRow: Sendable {
        let name: String
        let href: String
        let form: String
        let before: String
        let now: String
        let rise: String
    }

    struct Winner: Sendable {
        let name: String
        let href: String
    }

    struct DrawRow: Sendable {
        let reward: String
        let rewardKey: String
        let period: String
        let entrants: String
        let seed: String
        let winners: [Winner]
        let by: String
        /// A draw of the period shown: its winners' certificates can be made from here.
        let current: Bool
    }

    struct Choice: Sendable {
        let value: String
        let label: String
    }

    let title: String
    let notice: String?
    let periods: [PeriodLink]
    let period: String
    /// The period's key for the forms (term, last-term, year).
    let periodKey: String
    let noPeriod: String?
    let full: [FullRow]
    let fullHeading: String
    let fullNone: String?
    let fullButton: String
    /// How many of the list have had the certificate already (nil when none has).
    let fullMade: String?
    let improved: [ImprovedRow]
    let improvedHeading: String
    let improvedRule: String
    let improvedNone: String?
    let improvedButton: String
    let improvedMade: String?
    let hasFull: Bool
    let hasImproved: Bool
    /// Some listed pupil has not had the certificate yet.
    let fullToMake: Bool
    let improvedToMake: Bool
    let canDraw: Bool
    let rewards: [Choice]
    let draws: [DrawRow]
    let action: String
    let drawAction: String
    let csv: String
    /// The data check's state and when it ran: the lists are only as good as the marks.
    let dataCheck: String
    let pdfMissing: Bool

    /// Tenths of a point without a sign: "5" or "2.5".
    static func points(_ tenths: Int) -> String {
        tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }

    static func make(
        school: String, laestab: LAESTAB, found: RewardsController.Found?, choice: ReportPeriod,
        draws: [RecordedDraw], winners: [UPN: Pupil], certified: [RewardKind: Set<UPN>], dataCheck: DataCheckRun?,
        names: [String: String],
        notice: String?, pdfMissing: Bool,
        text: @escaping (String, [String: String]) -> String
    ) -> RewardsPage {
        let plain = { (key: String) in text(key, [:]) }
        let periods = ReportPeriod.allCases.map {
            PeriodLink(
                label: plain("rewards.period.\($0.rawValue)"),
                href: SiteURL.school(.rewards, laestab, query: ["period": $0.rawValue]), current: $0 == choice)
        }
        let full = (found?.full ?? []).map {
            FullRow(
                name: $0.pupil.displayName, href: SiteURL.pupil($0.pupil.upn), form: $0.pupil.registrationGroup,
                sessions: String($0.summary.possible))
        }
        let improved = (found?.improved ?? []).map { pupil, improvement in
            ImprovedRow(
                name: pupil.displayName, href: SiteURL.pupil(pupil.upn), form: pupil.registrationGroup,
                before: Tenths.percentText(improvement.earlierTenths), now: Tenths.percentText(improvement.laterTenths),
                rise: Tenths.pointsText(improvement.riseTenths))
        }
        let rule: String
        if let earlier = found?.earlier {
            rule = text(
                "rewards.improvedRule",
                [
                    "earlier": DateText.range(earlier, text), "points": Self.points(Rewards.minimumRiseTenths),
                    "sessions": String(Rewards.minimumSessions),
                ])
        } else {
            rule = plain("rewards.noEarlier")
        }
        let rows = draws.map { draw in
            DrawRow(
                reward: plain("rewards.reward.\(draw.reward.rawValue)"), rewardKey: draw.reward.rawValue,
                period: DateText.range(draw.period, text),
                entrants: String(draw.entrants.count), seed: String(draw.seed),
                winners: draw.winners.map {
                    Winner(name: winners[$0]?.displayName ?? $0.value, href: SiteURL.pupil($0))
                },
                by: text(
                    "rewards.drawnBy",
                    [
                        "by": RecordWords.actor(draw.drawnBy, names: names, text: text),
                        "when": DateText.moment(stored: draw.drawnAt, text),
                    ]),
                current: draw.span == choice.span && draw.period.start == found?.period.start)
        }
        // Certificates still to make: each pupil's once.
        func toMake(_ reward: RewardKind) -> (left: Int, made: String?) {
            let listed = found?.entrants(reward) ?? []
            let done = listed.filter { certified[reward]?.contains($0) == true }.count
            return (listed.count - done, done == 0 ? nil : text("rewards.certificatesMade", ["count": String(done)]))
        }
        let fullLeft = toMake(.fullAttendance)
        let improvedLeft = toMake(.mostImproved)
        return RewardsPage(
            title: text("rewards.title", ["school": school]), notice: notice, periods: periods,
            period: found.map { text("rewards.periodLine", ["period": DateText.range($0.period, text)]) } ?? "",
            periodKey: choice.rawValue, noPeriod: found == nil ? plain("rewards.noPeriod") : nil, full: full,
            fullHeading: text("rewards.fullHeading", ["count": String(full.count)]),
            fullNone: found != nil && full.isEmpty ? plain("rewards.fullNone") : nil,
            fullButton: text("rewards.certificatesFor", ["count": String(fullLeft.left)]), fullMade: fullLeft.made,
            improved: improved,
            improvedHeading: text("rewards.improvedHeading", ["count": String(improved.count)]), improvedRule: rule,
            improvedNone: found?.earlier != nil && improved.isEmpty ? plain("rewards.improvedNone") : nil,
            improvedButton: text("rewards.certificatesFor", ["count": String(improvedLeft.left)]),
            improvedMade: improvedLeft.made, hasFull: !full.isEmpty, hasImproved: !improved.isEmpty,
            fullToMake: fullLeft.left > 0, improvedToMake: improvedLeft.left > 0,
            canDraw: !full.isEmpty || !improved.isEmpty,
            rewards: RewardKind.allCases.map {
                Choice(value: $0.rawValue, label: plain("rewards.reward.\($0.rawValue)"))
            },
            draws: rows, action: SiteURL.school(.rewardCertificates, laestab),
            drawAction: SiteURL.school(.rewardDraws, laestab),
            csv: SiteURL.school(.rewardsCSV, laestab, query: ["period": choice.rawValue]),
            dataCheck: DataCheckWords.line(dataCheck, text), pdfMissing: pdfMissing)
    }
}
