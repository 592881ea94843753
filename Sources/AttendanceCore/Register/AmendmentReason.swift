/// Why a mark was changed, as the record keeps it (`mark_amendments.reason`, the audit's reason): the reasons the
/// program writes itself read into values, so that a page says them in the reader's language; a person's reason
/// is kept and shown as written. The stored text never changes: the amendments are the register's legal history.
public enum AmendmentReason: Hashable, Sendable {
    /// A person's reason as written.
    case written(String)
    /// The procedure turned an N into O: no reason came within the policy's number of school days.
    case noReasonReceived(schoolDays: Int)
    /// The procedure withdrew an action a correction to the register made no longer due.
    case noLongerDueAfterCorrection
    /// Marks imported from a file (its name).
    case imported(from: String)
    /// A pupil marked absent arrived and was entered in the late book (the time, "08:57").
    case lateBook(arrived: String)
    /// The head's decision on a request for leave in term time (its number).
    case leaveDecision(request: LeaveRequestID)
    /// A parent's report of the absence, confirmed by the head or their delegate (its number).
    case parentReport(report: Int)

    public init(stored text: String) {
        if let days = text.between("no reason received within ", " school days").flatMap(Int.init) {
            self = .noReasonReceived(schoolDays: days)
        } else if text == "no longer due after a correction to the register" {
            self = .noLongerDueAfterCorrection
        } else if let file = text.after("imported from "), !file.isEmpty {
            self = .imported(from: file)
        } else if let time = text.between("arrived late (late book, ", ")") {
            self = .lateBook(arrived: time)
        } else if let id = text.between("leave decision (request ", ")").flatMap(LeaveRequestID.init) {
            self = .leaveDecision(request: id)
        } else if let id = text.between("absence reported by a parent (report ", ")").flatMap(Int.init) {
            self = .parentReport(report: id)
        } else {
            self = .written(text)
        }
    }

    /// The text kept in the record, in the form earlier versions wrote.
    public var stored: String {
        switch self {
        case .written(let text): text
        case .noReasonReceived(let days): "no reason received within \(days) school days"
        case .noLongerDueAfterCorrection: "no longer due after a correction to the register"
        case .imported(let file): "imported from \(file)"
        case .lateBook(let time): "arrived late (late book, \(time))"
        case .leaveDecision(let id): "leave decision (request \(id))"
        case .parentReport(let id): "absence reported by a parent (report \(id))"
        }
    }
}
