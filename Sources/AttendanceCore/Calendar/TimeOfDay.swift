/// A wall-clock time in the school's own day (no zone): "08:50".
public struct TimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let minutesSinceMidnight: Int

    /// 00:00.
    public static let midnight = TimeOfDay(minutes: 0)

    private init(minutes: Int) { minutesSinceMidnight = minutes }

    /// 23:59, the last minute of a day.
    public static let lastMinute = TimeOfDay(minutes: 24 * 60 - 1)

    public init?(hour: Int, minute: Int) {
        guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        minutesSinceMidnight = hour * 60 + minute
    }

    /// Parses `HH:MM` (or `H:MM`).
    public init?(text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var description: String {
        let hour = minutesSinceMidnight / 60
        let minute = minutesSinceMidnight % 60
        return "\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool {
        lhs.minutesSinceMidnight < rhs.minutesSinceMidnight
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = TimeOfDay(text: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a time HH:MM")
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// When a session starts and when its register closes.
public struct RegisterTimes: Hashable, Sendable, Codable {
    public let start: TimeOfDay
    public let close: TimeOfDay

    /// Nil unless the register closes at or after the session starts.
    public init?(start: TimeOfDay, close: TimeOfDay) {
        guard close >= start else { return nil }
        self.start = start
        self.close = close
    }

    /// Times that are in order by construction: a close before the start closes at the start.
    public init(start: TimeOfDay, closingNotBefore close: TimeOfDay) {
        self.start = start
        self.close = max(start, close)
    }

    /// Minutes after the start of the session; zero when on time.
    public func minutesLate(arrivingAt arrival: TimeOfDay) -> Int {
        max(0, arrival.minutesSinceMidnight - start.minutesSinceMidnight)
    }

    /// Late before the register closes counts as present (L); after it closes, as unauthorised absence (U).
    public func lateMeaning(arrivingAt arrival: TimeOfDay) -> CodeMeaning? {
        guard arrival > start else { return nil }
        return arrival <= close ? .lateBeforeClose : .lateAfterClose
    }
}
