/// An attendance panel on an ESW case (the policy: invitation letters; if the parent does not come, a second
/// invitation; absence without notice can bring an ESW visit). The second invitation is a panel of its own, round 2.
public struct AttendancePanel: Sendable, Hashable {
    public let id: Int
    public let caseID: EswCaseID
    /// 1 for the first invitation, 2 for the second after the parents did not come.
    public let round: Int
    public let on: LocalDate
    public let time: String
    public let place: String
    public let members: String
    public let scheduledBy: String
    public let attendance: PanelAttendance?
    public let outcome: String?

    public init(
        id: Int, caseID: EswCaseID, round: Int, on: LocalDate, time: String, place: String, members: String,
        scheduledBy: String, attendance: PanelAttendance?, outcome: String?
    ) {
        self.id = id
        self.caseID = caseID
        self.round = round
        self.on = on
        self.time = time
        self.place = place
        self.members = members
        self.scheduledBy = scheduledBy
        self.attendance = attendance
        self.outcome = outcome
    }
}

/// Whether the parents came to a panel.
public enum PanelAttendance: String, Sendable, Hashable, CaseIterable {
    case attended
    /// Did not come, and told the service beforehand.
    case absentWithNotice = "absent_with_notice"
    /// Did not come and gave no notice: an ESW visit follows, and it is evidence of not engaging.
    case absentWithoutNotice = "absent_without_notice"

    public var cameToPanel: Bool { self == .attended }
}

extension EswRules {
    /// Why a panel step is refused.
    public enum PanelProblem: Error, Sendable, Hashable {
        /// A panel is scheduled on an open case, one at a time: the last one's attendance recorded first.
        case panelNotNow
        /// Attendance is recorded on or after the panel's day, once.
        case notYetHeld
        /// The parents did not come to a first panel: the second invitation needs its day, time and place.
        case secondInvitationNeeded
        /// The outcome follows a panel the parents came to, once.
        case noOutcomeNow

        public var key: String {
            switch self {
            case .panelNotNow: "panelNotNow"
            case .notYetHeld: "notYetHeld"
            case .secondInvitationNeeded: "secondInvitationNeeded"
            case .noOutcomeNow: "noOutcomeNow"
            }
        }
    }
}
