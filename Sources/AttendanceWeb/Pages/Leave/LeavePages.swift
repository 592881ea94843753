import AttendanceCore
import AttendanceStore

/// The head's leave requests: each waiting request with everything the policy says to weigh beside it (the
/// school days asked, the days already agreed this year against the limit, the pupil's attendance and band, the
/// time of year, the exceptional circumstances and evidence, the other children's requests), and the decision
/// form; below, the requests already decided.
struct LeaveQueuePage: PageModel {
    static let template = "leave"

    struct Fact: Sendable {
        let label: String
        let value: String
    }

    struct Waiting: Sendable {
        let id: LeaveRequestID
        let name: String
        let pupilHref: String
        let heading: String
        let facts: [Fact]
        let flags: [String]
        let action: String
        let from: String
        let to: String
        let categories: [Chosen]
        /// More than four continuous weeks: the head may record that the pupil comes off the roll.
        let extended: Bool
    }

    struct Decided: Sendable {
        let name: String
        let what: String
        let status: String
        let by: String
    }

    let title: String
    let intro: String
    let notice: String?
    let error: String?
    let waiting: [Waiting]
    let decided: [Decided]
    let hasDecided: Bool
    /// The head decides; the office and senior managers read the queue to prepare the decisions.
    let canDecide: Bool

    /// One waiting request and what to weigh.
    struct Weighing: Sendable {
        let request: LeaveRequest
        let pupil: Pupil
        let schoolDays: Int
        let agreedThisYear: Int
        let attendance: AttendanceSummary
        let siblings: [(Pupil, LeaveRequest)]
    }

    static func make(
        school: LAESTAB, waiting: [Weighing], decided: [(Pupil, LeaveRequest)], limit: Int, notice: String?,
        error: String?, canDecide: Bool = true, names: [String: String], text: @escaping PupilPage.Text
    ) -> LeaveQueuePage {
        let plain = { (key: String) in text(key, [:]) }
        return LeaveQueuePage(
            title: plain("leave.queueTitle"), intro: text("leave.queueIntro", ["limit": String(limit)]),
            notice: notice, error: error,
            waiting: waiting.map { item in
                let request = item.request
                var facts = [
                    Fact(label: plain("leave.asked"), value: FamilyWords.dates(request.dates, text: text)),
                    Fact(label: plain("leave.schoolDays"), value: String(item.schoolDays)),
                    Fact(
                        label: plain("leave.agreedThisYear"),
                        value: text(
                            "leave.ofLimit", ["days": String(item.agreedThisYear), "limit": String(limit)])),
                    Fact(
                        label: plain("leave.attendance"),
                        value: item.attendance.attendancePercentText
                            + (item.attendance.band.map { " – " + plain($0.textKey) } ?? "")),
                    Fact(label: plain("leave.reason"), value: request.reason),
                    Fact(
                        label: plain("leave.category"),
                        value: request.exceptionalCategory.map { plain("leave.category.\($0.rawValue)") }
                            ?? plain("leave.category.none")),
                ]
                if !request.details.isEmpty {
                    facts.append(Fact(label: plain("leave.details"), value: request.details))
                }
                if !request.siblings.isEmpty {
                    facts.append(Fact(label: plain("leave.siblings"), value: request.siblings))
                }
                for (sibling, other) in item.siblings {
                    facts.append(
                        Fact(
                            label: text("leave.siblingRequest", ["name": sibling.displayName]),
                            value: FamilyWords.dates(other.dates, text: text) + " – "
                                + FamilyWords.status(other, text: text)))
                }
                facts.append(
                    Fact(
                        label: plain("leave.askedBy"),
                        value: RecordWords.actor(request.requestedBy, names: names, text: text)))
                var flags = LeaveRules.seasons(request.dates, yearGroup: item.pupil.yearGroup).map {
                    text("leave.season.\($0.rawValue)", ["year": item.pupil.yearGroup])
                }
                if LeaveRules.isExtended(request.dates) { flags.append(plain("leave.extended")) }
                if item.agreedThisYear + item.schoolDays > limit {
                    flags.append(text("leave.overLimit", ["limit": String(limit)]))
                }
                return Waiting(
                    id: request.id, name: item.pupil.displayName, pupilHref: SiteURL.pupil(request.upn),
                    heading: text(
                        "leave.heading",
                        ["name": item.pupil.displayName, "group": item.pupil.registrationGroup]),
                    facts: facts, flags: flags,
                    action: SiteURL.school(.decideLeave, school, id: request.id), from: request.dates.start.iso,
                    to: request.dates.end.iso,
                    categories: [
                        Chosen(
                            value: "", label: plain("leave.category.none"),
                            selected: request.exceptionalCategory == nil)
                    ]
                        + ExceptionalCategory.allCases.map {
                            Chosen(
                                value: $0.rawValue, label: plain("leave.category.\($0.rawValue)"),
                                selected: request.exceptionalCategory == $0)
                        }, extended: LeaveRules.isExtended(request.dates))
            },
            decided: decided.map { pupil, request in
                Decided(
                    name: pupil.displayName, what: FamilyWords.request(request, text: text),
                    status: FamilyWords.status(request, text: text),
                    by: request.decision.map { RecordWords.actor($0.decidedBy, names: names, text: text) } ?? "")
            }, hasDecided: !decided.isEmpty, canDecide: canDecide)
    }
}
