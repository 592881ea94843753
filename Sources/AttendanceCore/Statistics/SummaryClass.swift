/// The few classes a mark falls into for counting. Each code maps to exactly one, once, when the table loads;
/// every summary (from a list of codes or from a compact mark string) counts these classes and nothing else.
enum SummaryClass: UInt8, CaseIterable, Sendable {
    case unmarked = 0
    case present
    case lateBeforeClose
    case approvedActivity
    case authorised
    case unauthorised
    case lateAfterClose
    case notCounted

    init(_ code: AttendanceCode) {
        switch code.category {
        case .present: self = code.means(.lateBeforeClose) ? .lateBeforeClose : .present
        case .approvedActivity: self = .approvedActivity
        case .authorised: self = .authorised
        case .unauthorised: self = code.means(.lateAfterClose) ? .lateAfterClose : .unauthorised
        case .notCounted: self = .notCounted
        }
    }
}
