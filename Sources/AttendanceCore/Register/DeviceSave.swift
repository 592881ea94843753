import Foundation

/// A register save as a device made it, perhaps without a connection, to be sent when it has one (issue 37): a
/// key the device gave it, the same however often it is sent, so that a save sent again is known as the same
/// save; and when its marks were made on the device, which the legal register keeps beside when the server
/// received them.
public struct DeviceSave: Sendable, Hashable {
    public let key: String
    public let madeAt: Date?

    /// What a device sent that cannot be taken.
    public enum Problem: Error, Sendable, Equatable {
        /// The key is not 8 to 64 letters, digits and hyphens.
        case key
        /// The time is not a moment from the last week up to the time received (a device's clock may run a little
        /// fast: five minutes are allowed).
        case madeAt
    }

    /// The longest a device may hold a save: a register taken more than a week ago is an amendment, not a
    /// register taken offline.
    public static let longestHeld: TimeInterval = 7 * 24 * 3600
    /// How far ahead of the server's clock a device's may run.
    public static let clockAhead: TimeInterval = 5 * 60

    public init(key: String, madeAt: Date?, receivedAt: Date) throws(Problem) {
        guard (8...64).contains(key.unicodeScalars.count),
            key.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
            })
        else { throw .key }
        if let madeAt {
            guard madeAt >= receivedAt.addingTimeInterval(-Self.longestHeld),
                madeAt <= receivedAt.addingTimeInterval(Self.clockAhead)
            else { throw .madeAt }
        }
        self.key = key
        self.madeAt = madeAt
    }

    /// A device's time as it sends it: ISO 8601 with a zone, with or without fractions of a second (as a browser's
    /// `Date.toISOString()` gives it); nil for anything else.
    public static func time(_ text: String) -> Date? {
        guard text.utf8.count <= 40 else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
