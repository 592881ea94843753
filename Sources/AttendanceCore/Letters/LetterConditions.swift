import Foundation

/// What the record must show before each kind of letter says what it says (issue 31: "a letter made by hand from
/// the pupil page states only what the record shows, exactly as a batch letter does"). One check for the batch and
/// for the hand; a refusal names what the record lacks.
public enum LetterConditions {
    /// What the record lacks for a letter.
    public enum Lack: Error, Sendable, Hashable {
        /// Letters 1 to 3 follow a line of sessions missed: not reached yet.
        case belowThreshold(needed: Int, absent: Int)
        /// Letter 3 went this school year already; only the head sends it again, with a reason.
        case alreadySent(LocalDate)
        /// The second invitation says "we did not see you": no invitation to a meeting that has passed.
        case noMissedMeeting
        /// The pre-holiday letter says the pupil is often absent before holidays: no such pattern this year.
        case noPreHolidayPattern
        /// The penalty warning quotes the criteria met this term: none is.
        case noPenaltyCriteria
        /// A 100% certificate for a pupil who missed a session.
        case notEarned
        /// A most-improved certificate for a pupil whose rise is below the rewards' rule (`Rewards.improvement`).
        case notImproved
        /// The ESW referral reports the invitation: none sent yet.
        case waitingForInvitation

        public var key: String {
            switch self {
            case .belowThreshold: "belowThreshold"
            case .alreadySent: "alreadySent"
            case .noMissedMeeting: "noMissedMeeting"
            case .noPreHolidayPattern: "noPreHolidayPattern"
            case .noPenaltyCriteria: "noPenaltyCriteria"
            case .notEarned: "notEarned"
            case .notImproved: "notImproved"
            case .waitingForInvitation: "waitingForInvitation"
            }
        }
    }

    /// What a letter may rest on: the year's figures, what was sent and done, this term's penalty figures, and
    /// whether the procedure finds the pre-holiday pattern.
    public struct Record: Sendable {
        public let summary: AttendanceSummary
        public let sent: [LetterKind: LocalDate]
        /// The attendance meeting's day, when one was arranged.
        public let meeting: LocalDate?
        public let penaltyMet: [String]
        public let preHolidayPattern: Bool
        public let today: LocalDate
        /// The head's reason for sending Letter 3 again this year.
        public let resendReason: String?
        /// For a most-improved certificate: the pupil's figures in the earlier period.
        public let earlier: AttendanceSummary?

        public init(
            summary: AttendanceSummary, sent: [LetterKind: LocalDate], meeting: LocalDate?, penaltyMet: [String],
            preHolidayPattern: Bool, today: LocalDate, resendReason: String?, earlier: AttendanceSummary? = nil
        ) {
            self.earlier = earlier
            self.summary = summary
            self.sent = sent
            self.meeting = meeting
            self.penaltyMet = penaltyMet
            self.preHolidayPattern = preHolidayPattern
            self.today = today
            self.resendReason = resendReason
        }
    }

    /// What the record lacks for `kind`, or nil when the letter may say what it says.
    public static func lacking(_ kind: LetterKind, record: Record, policy: Policy) -> Lack? {
        switch kind {
        case .letter1, .letter2, .letter3:
            let action: ProcedureAction = kind == .letter1 ? .letter1 : kind == .letter2 ? .letter2 : .letter3
            if let line = policy.thresholds.first(where: { $0.action == action }) {
                let counted = line.of == .absence ? record.summary.absent : record.summary.unauthorised
                if counted < line.sessions { return .belowThreshold(needed: line.sessions, absent: counted) }
            }
            if kind == .letter3, let sent = record.sent[.letter3],
                (record.resendReason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            {
                return .alreadySent(sent)
            }
            return nil
        case .meetingSecondInvitation:
            guard record.sent[.meetingInvitation] != nil, let meeting = record.meeting, meeting < record.today else {
                return .noMissedMeeting
            }
            return nil
        case .preHoliday: return record.preHolidayPattern ? nil : .noPreHolidayPattern
        case .fpnWarning: return record.penaltyMet.isEmpty ? .noPenaltyCriteria : nil
        case .certificate:
            return Rewards.fullAttendance(record.summary) ? nil : .notEarned
        case .improvementCertificate:
            guard let earlier = record.earlier, Rewards.isMostImproved(earlier: earlier, later: record.summary) else {
                return .notImproved
            }
            return nil
        case .eswReferral: return record.sent[.meetingInvitation] == nil ? .waitingForInvitation : nil
        // A workshop invitation and a sanction notice follow their own step (the workshop started, the sanction
        // the record allowed: `SanctionRule`).
        case .meetingInvitation, .holidayDecision, .penaltyNotice, .panelInvitation, .panelSecondInvitation,
            .workshopInvitation, .sanctionNotice:
            return nil
        }
    }
}
