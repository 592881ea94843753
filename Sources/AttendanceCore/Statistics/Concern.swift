import Foundation

/// A concern the Education Lead raises with a head about their school's attendance (the policy: "The Local
/// Authority will also monitor levels of attendance and raise concerns with Head Teachers"; issue 35, point 7):
/// the school, the figures behind it as they stood, what is asked and by when. The head answers it; the lead
/// closes it once answered. Each step keeps who and when.
public struct Concern: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case raised, answered, closed
    }

    /// A step in a concern's life, and who takes it: the head answers, the lead closes.
    public enum Step: String, Sendable, Hashable {
        case answer, close

        /// The standing the step moves a concern from, and to.
        public var from: Status { self == .answer ? .raised : .answered }
        public var to: Status { self == .answer ? .answered : .closed }
    }

    public enum Problem: String, Error, Sendable, Hashable {
        /// Nothing asked, or no answer given.
        case empty
        /// Longer than `textLimit`.
        case tooLong = "too_long"
        /// An answer-by day that has passed.
        case duePassed = "due_passed"
        /// The step does not follow from where the concern stands (answered already, closed, not yet answered).
        case notNow = "not_now"
    }

    /// The figures behind a concern as they stood when it was raised (the school year to date), in tenths of a
    /// percent; the target is nil when the school had none.
    public struct Figures: Sendable, Hashable {
        public let attendanceTenths: Int?
        public let targetTenths: Int?
        public let persistentTenths: Int?

        public init(attendanceTenths: Int?, targetTenths: Int?, persistentTenths: Int?) {
            (self.attendanceTenths, self.targetTenths, self.persistentTenths) =
                (attendanceTenths, targetTenths, persistentTenths)
        }
    }

    public let id: Int
    public let school: LAESTAB
    public let request: String
    public let figures: Figures
    public let dueBy: LocalDate
    public let status: Status
    public let raisedBy: String
    public let raisedAt: String
    public let raisedOn: LocalDate
    public let answer: String?
    public let answeredBy: String?
    public let answeredAt: String?
    public let closedBy: String?
    public let closedAt: String?

    public init(
        id: Int, school: LAESTAB, request: String, figures: Figures, dueBy: LocalDate, status: Status,
        raisedBy: String, raisedAt: String, raisedOn: LocalDate, answer: String?, answeredBy: String?,
        answeredAt: String?, closedBy: String?, closedAt: String?
    ) {
        (self.id, self.school, self.request, self.figures, self.dueBy, self.status) =
            (id, school, request, figures, dueBy, status)
        (self.raisedBy, self.raisedAt, self.raisedOn) = (raisedBy, raisedAt, raisedOn)
        (self.answer, self.answeredBy, self.answeredAt, self.closedBy, self.closedAt) =
            (answer, answeredBy, answeredAt, closedBy, closedAt)
    }

    /// The longest request or answer kept, in characters.
    public static let textLimit = 2000

    /// A request or an answer as it may be kept: trimmed, not empty, not too long.
    public static func text(_ typed: String) throws(Problem) -> String {
        let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .empty }
        guard text.count <= textLimit else { throw .tooLong }
        return text
    }

    /// Whether the head has let the answer-by day pass without answering.
    public func isOverdue(on today: LocalDate) -> Bool { status == .raised && dueBy < today }
}
