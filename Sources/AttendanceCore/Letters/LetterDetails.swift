/// The details a person gives when producing a letter by hand, and the checks they must pass before anything is
/// kept: a kept letter is append-only, so a bad date or a runaway field would stay on the pupil's record forever.
public enum LetterDetails {
    /// Every detail a letter may be given, with what it holds.
    public enum Field: String, Sendable, CaseIterable {
        case meetingDate = "meeting_date"
        case meetingTime = "meeting_time"
        case meetingPlace = "meeting_place"
        case holidayFrom = "holiday_from"
        case holidayTo = "holiday_to"
        case holidayDecision = "holiday_decision"
        case holidayAgreedFrom = "holiday_agreed_from"
        case holidayAgreedTo = "holiday_agreed_to"
        case holidayReason = "holiday_reason"
        case noticeNumber = "notice_number"
        case noticeFrom = "notice_from"
        case noticeTo = "notice_to"
        case noticeSessions = "notice_sessions"
        case noticeReceived = "notice_received"
        case noticeEarlyAmount = "notice_early_amount"
        case noticeEarlyBy = "notice_early_by"
        case noticeLateAmount = "notice_late_amount"
        case noticeLateBy = "notice_late_by"
        /// The head's reason for sending Letter 3 again in a school year (kept, never printed).
        case resendReason = "resend_reason"
        /// The period a certificate rewards (100% or most improved), and the earlier period an improvement is from.
        case rewardFrom = "reward_from"
        case rewardTo = "reward_to"
        case earlierFrom = "earlier_from"
        case earlierTo = "earlier_to"

        /// The longest value the field may hold, in characters.
        public var limit: Int {
            switch self {
            case .meetingPlace: return 200
            case .holidayReason, .resendReason: return 1000
            case .noticeNumber: return 40
            default: return 10
            }
        }
    }

    /// The head's decisions a holiday decision letter can tell: all days agreed, some, or none.
    public static let holidayDecisions: Set<String> = ["agreed", "partly", "refused", "off_roll"]

    /// Why a detail was refused.
    public enum Reason: String, Sendable, Equatable, CaseIterable {
        case unknown
        case notADate = "not_a_date"
        case notATime = "not_a_time"
        case notAChoice = "not_a_choice"
        case tooLong = "too_long"
        case controlCharacter = "control_character"
        case endsBeforeStart = "ends_before_start"
        /// A period a certificate rewards that has not ended yet.
        case inTheFuture = "in_the_future"
    }

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let field: String
        public let reason: Reason

        public init(field: String, reason: Reason) {
            self.field = field
            self.reason = reason
        }

        public var description: String {
            switch reason {
            case .unknown: return "\(field): not a detail a letter takes"
            case .notADate: return "\(field): not a date (YYYY-MM-DD)"
            case .notATime: return "\(field): not a time (HH:MM)"
            case .notAChoice: return "\(field): agreed, partly or refused"
            case .tooLong:
                return "\(field): longer than \(Field(rawValue: field)?.limit ?? 0) characters"
            case .controlCharacter: return "\(field): contains a control character"
            case .endsBeforeStart: return "\(field): ends before it starts"
            case .inTheFuture: return "\(field): a day that has not come yet"
            }
        }
    }

    /// Every problem with the details, in field order; empty when they may be kept.
    public static func problems(_ details: [String: String]) -> [Problem] {
        var problems = details.keys.filter { Field(rawValue: $0) == nil }.sorted().map {
            Problem(field: $0, reason: .unknown)
        }
        for field in Field.allCases {
            guard let value = details[field.rawValue] else { continue }
            let problem: Reason?
            if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F }) {
                problem = .controlCharacter
            } else if value.count > field.limit {
                problem = .tooLong
            } else {
                switch field {
                case .meetingDate, .holidayFrom, .holidayTo, .holidayAgreedFrom, .holidayAgreedTo, .noticeFrom,
                    .noticeTo,
                    .noticeReceived, .noticeEarlyBy, .noticeLateBy, .rewardFrom, .rewardTo, .earlierFrom, .earlierTo:
                    problem = LocalDate(entered: value) == nil ? .notADate : nil
                case .noticeNumber, .noticeSessions, .noticeEarlyAmount, .noticeLateAmount: problem = nil
                case .meetingTime: problem = TimeOfDay(text: value) == nil ? .notATime : nil
                case .holidayDecision: problem = holidayDecisions.contains(value) ? nil : .notAChoice
                case .meetingPlace, .holidayReason, .resendReason: problem = nil
                }
            }
            if let problem { problems.append(Problem(field: field.rawValue, reason: problem)) }
        }
        for name in ["holiday", "reward", "earlier"] {
            if let from = details["\(name)_from"].flatMap(LocalDate.init(iso:)),
                let to = details["\(name)_to"].flatMap(LocalDate.init(iso:)), to < from
            {
                problems.append(Problem(field: "\(name)_to", reason: .endsBeforeStart))
            }
        }
        return problems
    }
}
