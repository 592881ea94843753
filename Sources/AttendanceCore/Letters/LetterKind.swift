/// The letters the policy sends (DOMAIN.md sections 4–8). Each exists in Welsh and English.
public enum LetterKind: String, Sendable, Hashable, Codable, CaseIterable {
    case letter1 = "letter_1"
    case letter2 = "letter_2"
    /// Medical evidence required for any future absence to be authorised.
    case letter3 = "letter_3"
    case meetingInvitation = "meeting_invitation"
    case meetingSecondInvitation = "meeting_second_invitation"
    case eswReferral = "esw_referral"
    case preHoliday = "pre_holiday"
    case fpnWarning = "fpn_warning"
    case holidayDecision = "holiday_decision"
    case certificate = "certificate"
    /// The most improved attendance from one period to the next, made from the rewards page for the pupils it
    /// lists: never by hand, since it names both periods.
    case improvementCertificate = "improvement_certificate"
    /// A fixed penalty notice to one parent, made when the Education Lead issues it: never by hand.
    case penaltyNotice = "penalty_notice"
    /// Invitations to the ESW service's attendance panel, made when the ESW schedules one, and again when the
    /// parents did not come: never by hand.
    case panelInvitation = "panel_invitation"
    case panelSecondInvitation = "panel_second_invitation"
    /// An invitation to the school's six-week attendance workshop, to each invited pupil's parents, made when the
    /// workshop is started: never by hand.
    case workshopInvitation = "workshop_invitation"
    /// The notice a parent is sent each time a school sanction (a detention) is recorded for absence (the policy:
    /// "Parents must be notified on each occasion"): never by hand.
    case sanctionNotice = "sanction_notice"

    /// The letter that completes a procedure action, if the action is a letter.
    public init?(action: ProcedureAction) {
        switch action {
        case .letter1: self = .letter1
        case .letter2: self = .letter2
        // Medical evidence after Letter 3 is a flag for the head on each absence, never another Letter 3.
        case .letter3: self = .letter3
        case .attendanceMeeting: self = .meetingInvitation
        case .eswReferral: self = .eswReferral
        case .preHolidayPattern: self = .preHoliday
        case .fpnEligible: self = .fpnWarning
        default: return nil
        }
    }

    /// Whether a person produces it from the pupil's page; the others come from their own step (a notice issued,
    /// a panel scheduled, a penalty warning confirmed by the head on its flag's second step).
    public var isByHand: Bool {
        ![
            .penaltyNotice, .panelInvitation, .panelSecondInvitation, .fpnWarning, .improvementCertificate,
            .workshopInvitation, .sanctionNotice,
        ].contains(self)
    }

    /// The referral form goes to the Education Social Work service; every other letter to the pupil's parents.
    public var isToParents: Bool { self != .eswReferral }

    /// Details a person must give when producing the letter by hand (the procedure cannot know them).
    public var requiredDetails: [String] {
        switch self {
        case .meetingInvitation, .meetingSecondInvitation, .panelInvitation, .panelSecondInvitation,
            .workshopInvitation, .sanctionNotice:
            return ["meeting_date", "meeting_time", "meeting_place"]
        case .holidayDecision: return ["holiday_from", "holiday_to", "holiday_decision"]
        case .improvementCertificate: return ["reward_from", "reward_to", "earlier_from", "earlier_to"]
        case .penaltyNotice:
            return [
                "notice_number", "notice_from", "notice_to", "notice_received", "notice_early_amount",
                "notice_early_by", "notice_late_amount", "notice_late_by",
            ]
        default: return []
        }
    }
}
