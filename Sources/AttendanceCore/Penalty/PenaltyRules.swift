/// The penalty notice process's rules, in one place: which step may follow which, what the Education Lead may
/// not approve, when a notice is received, what is due on a day, and when it lapses.
public enum PenaltyRules {
    public enum Problem: Error, Sendable, Equatable {
        /// The step cannot follow where the case stands.
        case notNow(PenaltyStatus, PenaltyStep)
        /// The warning was too recent: the policy waits for continued absence after it.
        case tooSoonAfterWarning(schoolDaysWaited: Int, needed: Int)
        /// No absence of the kind counted since the warning.
        case noAbsenceSinceWarning
        /// A parent already has the local limit of notices in the last 12 months.
        case overParentLimit(parent: String)
        /// A prosecution has begun for the same absence.
        case prosecutionBegun
        /// A payment must be the amount due on the day it is paid.
        case wrongAmount(due: Int)
        /// After day 42 a notice cannot be paid; it goes for prosecution.
        case lapsed
        /// A reason is needed.
        case noReason

        public var key: String {
            switch self {
            case .notNow: "notNow"
            case .tooSoonAfterWarning: "tooSoon"
            case .noAbsenceSinceWarning: "noAbsenceSinceWarning"
            case .overParentLimit: "overParentLimit"
            case .prosecutionBegun: "prosecutionBegun"
            case .wrongAmount: "wrongAmount"
            case .lapsed: "lapsed"
            case .noReason: "noReason"
            }
        }
    }

    /// The steps that may follow each standing of a case.
    public static func allowed(from status: PenaltyStatus) -> Set<PenaltyStep> {
        switch status {
        case .eligible: [.warn, .withdraw]
        case .warned: [.request, .withdraw]
        case .requested: [.approve, .decline, .withdraw]
        case .approved: [.issue, .withdraw]
        case .declined, .issued, .withdrawn: []
        }
    }

    /// Where a step leaves a case.
    public static func apply(_ step: PenaltyStep, to status: PenaltyStatus) throws(Problem) -> PenaltyStatus {
        guard allowed(from: status).contains(step) else { throw .notNow(status, step) }
        switch step {
        case .warn: return .warned
        case .request: return .requested
        case .approve: return .approved
        case .decline: return .declined
        case .issue: return .issued
        case .withdraw: return .withdrawn
        }
    }

    /// Where a warned case stands for the head's request on a day: ready, or how many more school days to wait
    /// and whether absence must continue after the warning first.
    public struct RequestStanding: Sendable, Hashable {
        public let isReady: Bool
        /// School days still to wait (0 when only continued absence is missing).
        public let schoolDaysLeft: Int
        /// No unauthorised absence since the warning, and every criterion met needs some.
        public let needsFurtherAbsence: Bool
    }

    /// The head may request once any criterion the case met allows it: after that criterion's wait in school days
    /// since the warning and, where it waits at all, with unauthorised absence continuing after the warning. A
    /// term-time holiday waits 0 by default (DOMAIN.md §7): its absence has already happened.
    public static func requestStanding(
        criteria: [PenaltyCriterion], wait: (PenaltyCriterion) -> Int, schoolDaysSinceWarning: Int,
        sessionsSinceWarning: Int
    ) -> RequestStanding {
        var left = Int.max
        var needsAbsence = true
        for criterion in criteria.isEmpty ? [.unauthorised] : criteria {
            let days = wait(criterion)
            let remaining = max(0, days - schoolDaysSinceWarning)
            let absent = days == 0 || sessionsSinceWarning > 0
            if remaining == 0 && absent {
                return RequestStanding(isReady: true, schoolDaysLeft: 0, needsFurtherAbsence: false)
            }
            if remaining < left || (remaining == left && absent) {
                left = remaining
                needsAbsence = !absent
            }
        }
        return RequestStanding(isReady: false, schoolDaysLeft: left, needsFurtherAbsence: needsAbsence)
    }

    /// The same as a check: the request is refused with the reason the standing gives.
    public static func checkRequest(
        criteria: [PenaltyCriterion], wait: (PenaltyCriterion) -> Int, schoolDaysSinceWarning: Int,
        sessionsSinceWarning: Int
    ) throws(Problem) {
        let standing = requestStanding(
            criteria: criteria, wait: wait, schoolDaysSinceWarning: schoolDaysSinceWarning,
            sessionsSinceWarning: sessionsSinceWarning)
        guard !standing.isReady else { return }
        if standing.schoolDaysLeft > 0 {
            throw .tooSoonAfterWarning(
                schoolDaysWaited: schoolDaysSinceWarning, needed: schoolDaysSinceWarning + standing.schoolDaysLeft)
        }
        throw .noAbsenceSinceWarning
    }

    /// The Education Lead may not approve a request for a pupil with a prosecution already begun for the same
    /// absence, nor one that would give a parent more notices in 12 months than the local limit.
    /// - Parameter noticesInLastYear: by parent, the notices issued to them in the 12 months before `today`.
    public static func checkApproval(
        noticesInLastYear: [String: Int], limit: Int, prosecutionBegun: Bool
    ) throws(Problem) {
        if prosecutionBegun { throw .prosecutionBegun }
        for (parent, count) in noticesInLastYear.sorted(by: { $0.key < $1.key }) where count >= limit {
            throw .overParentLimit(parent: parent)
        }
    }

    /// The first day whose sessions count towards a case in a term: the term's first day or, after a request the
    /// Education Lead declined, the day after the latest decline (the pupil is eligible again only on new sessions).
    public static func countsFrom(termStart: LocalDate, declinedOn: [LocalDate]) -> LocalDate {
        guard let last = declinedOn.filter({ $0 >= termStart }).max() else { return termStart }
        return last.adding(days: 1)
    }

    /// The day a notice is taken to be received: the day it was handed over, or the policy's number of working
    /// days (Monday to Friday) after it was posted.
    public static func deemedReceipt(issuedOn: LocalDate, method: ServiceMethod, postWorkingDays: Int) -> LocalDate {
        guard method == .post else { return issuedOn }
        var day = issuedOn
        var counted = 0
        while counted < postWorkingDays {
            day = day.adding(days: 1)
            if day.weekday != .saturday && day.weekday != .sunday { counted += 1 }
        }
        return day
    }
}

/// A notice's money and days, counted from the day it was received: the lower amount to the end of day
/// `earlyDays` (28), the higher to the end of day `lateDays` (42), then nothing can be paid and it is unpaid.
public struct NoticeTerms: Sendable, Hashable {
    public let receivedOn: LocalDate
    public let earlyPence: Int
    public let latePence: Int
    public let earlyDays: Int
    public let lateDays: Int

    public init(receivedOn: LocalDate, earlyPence: Int, latePence: Int, earlyDays: Int, lateDays: Int) {
        self.receivedOn = receivedOn
        self.earlyPence = earlyPence
        self.latePence = latePence
        self.earlyDays = earlyDays
        self.lateDays = lateDays
    }

    /// The last day of the lower amount, and of any payment.
    public var earlyUntil: LocalDate { receivedOn.adding(days: earlyDays) }
    public var lateUntil: LocalDate { receivedOn.adding(days: lateDays) }

    /// What is due on a day: nil once the notice has lapsed.
    public func amountDue(on date: LocalDate) -> Int? {
        if date <= earlyUntil { return earlyPence }
        if date <= lateUntil { return latePence }
        return nil
    }

    /// The day by which the amount due on `date` must be paid.
    public func dueDate(on date: LocalDate) -> LocalDate? {
        if date <= earlyUntil { return earlyUntil }
        if date <= lateUntil { return lateUntil }
        return nil
    }

    public func hasLapsed(on date: LocalDate) -> Bool { date > lateUntil }

    /// A payment must be the amount due on its day, and within the 42 days.
    public func checkPayment(pence: Int, on date: LocalDate) throws(PenaltyRules.Problem) {
        guard let due = amountDue(on: date) else { throw .lapsed }
        guard pence == due else { throw .wrongAmount(due: due) }
    }
}
