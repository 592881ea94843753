/// What makes a pupil's absence in a term a case for a fixed penalty notice (DOMAIN.md §7, the policy's code of
/// conduct), each recorded with its evidence.
public enum PenaltyCriterion: String, Sendable, Hashable, Codable, CaseIterable {
    /// At least the policy's number of unauthorised sessions in the term.
    case unauthorised
    /// At least the policy's number of sessions late after the register closed (U) in the term.
    case lateAfterClose = "late_after_close"
    /// Term-time holiday of at least the policy's number of unauthorised sessions (G).
    case unagreedHoliday = "unagreed_holiday"
    /// Repeated contact with the police in school hours with the absence unauthorised.
    case policeContact = "police_contact"
    /// Parents failing to engage with the school or the ESW service where no prosecution has begun.
    case nonEngagement = "non_engagement"
}

/// Where a case stands. A case is one pupil in one term; its notices (one per parent) carry their own standing
/// once issued.
public enum PenaltyStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case eligible, warned, requested, approved, declined, issued, withdrawn
}

/// What a person (or the daily run) does to a case or a notice. Each is recorded with who, when and why.
public enum PenaltyStep: String, Sendable, Hashable, Codable, CaseIterable {
    /// The head's warning letter to the parents.
    case warn
    /// The head's request to the Education Lead, with the evidence pack.
    case request
    /// The Education Lead's decision.
    case approve, decline
    /// The notices made, one per parent.
    case issue
    /// Stopped, with a reason (for example served on the wrong person).
    case withdraw
}

/// Where a notice stands.
public enum NoticeStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Served and within its 42 days.
    case issued
    /// Paid (the amount paid says at which rate).
    case paid
    /// Not paid within 42 days of receipt: on the Education Lead's list for prosecution.
    case unpaid
    /// Referred for prosecution by the Education Lead (Wrexham prosecutes every unpaid notice).
    case prosecutionReferred = "prosecution_referred"
    case withdrawn
}

/// How a notice was served, which decides the day it is taken to be received.
public enum ServiceMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Handed to the parent: received that day.
    case hand
    /// First-class post: received the policy's number of working days after posting.
    case post
}
