/// The id of a casework row (a procedure action, a penalty case, an ESW case, a leave request), typed by what it
/// names: a penalty case's id cannot be passed where an ESW case's is asked for. It crosses the web edge as its
/// number (a path's `:id`, an API's JSON) and the store binds its `rawValue`.
public struct RowID<Names>: Hashable, Comparable, Sendable, LosslessStringConvertible {
    public let rawValue: Int

    public init(_ rawValue: Int) { self.rawValue = rawValue }

    /// From a path's `:id`: a whole number, nothing else.
    public init?(_ description: String) {
        guard let value = Int(description) else { return nil }
        rawValue = value
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// In JSON (an API's body, a kept evidence pack) an id is its number. The store binds `rawValue`, never the id.
extension RowID: Codable {
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(Int.self) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A literal id, for tests and fixtures that name a row they made ("case 1").
extension RowID: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { rawValue = value }
}

public typealias EswCaseID = RowID<EswCase>
public typealias PenaltyCaseID = RowID<PenaltyCase>
public typealias LeaveRequestID = RowID<LeaveRequest>
/// A procedure action as recorded for a pupil (the queue's line, a letter's action).
public typealias ActionID = RowID<RecordedAction>
