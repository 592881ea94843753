/// A Unique Pupil Number: check letter + 3-digit LA + 4-digit establishment + 2-digit year + 3-digit serial.
/// A temporary UPN ends in a letter instead of the last digit.
public struct UPN: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let value: String

    /// The 23 letters of the check-letter table (no I, O or S).
    static let letters = Array("ABCDEFGHJKLMNPQRTUVWXYZ")

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case wrongLength(Int)
        case badCharacter(position: Int)
        case wrongCheckLetter(expected: Character)

        public var description: String {
            switch self {
            case .wrongLength(let count): return "a UPN has 13 characters, this has \(count)"
            case .badCharacter(let position): return "character \(position) of the UPN is not allowed there"
            case .wrongCheckLetter(let expected): return "the check letter is wrong (it should be \(expected))"
            }
        }
    }

    /// Validates a UPN, including its check letter.
    public init(_ text: String) throws(Problem) {
        let chars = Array(text.uppercased())
        guard chars.count == 13 else { throw .wrongLength(chars.count) }
        let expected = try UPN.checkLetter(forBody: String(chars[1...]))
        guard chars[0] == expected else { throw .wrongCheckLetter(expected: expected) }
        self.value = String(chars)
    }

    /// Whether this is a temporary UPN (its last character is a letter).
    public var isTemporary: Bool { value.last.map { $0.isLetter } ?? false }

    /// The check letter for the 12 characters after it; throws when a character is not allowed.
    public static func checkLetter(forBody body: String) throws(Problem) -> Character {
        let chars = Array(body.uppercased())
        guard chars.count == 12 else { throw .wrongLength(chars.count + 1) }
        var sum = 0
        for (offset, char) in chars.enumerated() {
            let weight = offset + 2
            let value: Int
            if let digit = char.wholeNumberValue, char.isASCII {
                value = digit
            } else if offset == 11, let index = letters.firstIndex(of: char) {
                value = index  // a temporary UPN's final letter, valued by the same table
            } else {
                throw .badCharacter(position: offset + 2)
            }
            sum += value * weight
        }
        return letters[sum % 23]
    }

    /// Builds a valid UPN from its parts (used by the demo and tests).
    public static func make(la: Int, estab: Int, year: Int, serial: Int) -> UPN {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let body = pad(la, 3) + pad(estab, 4) + pad(year % 100, 2) + pad(serial, 3)
        let letter = try! checkLetter(forBody: body)
        return try! UPN(String(letter) + body)
    }

    public var description: String { value }

    public static func < (lhs: UPN, rhs: UPN) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text): \(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
