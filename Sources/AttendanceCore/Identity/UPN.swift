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
        // Upper-case ASCII, as every UPN the record holds, is taken as it is: Unicode's upper-casing costs more
        // than the rest of the check.
        let upper = text.utf8.allSatisfy({ $0 < 0x61 || ($0 > 0x7A && $0 < 0x80) }) ? text : text.uppercased()
        // Printable ASCII (every valid UPN) is read byte by byte: every pupil read from the database comes here.
        guard upper.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            let chars = Array(upper)
            guard chars.count == 13 else { throw .wrongLength(chars.count) }
            let expected = try UPN.checkLetter(forBody: String(chars[1...]))
            throw .wrongCheckLetter(expected: expected)
        }
        let bytes = upper.utf8
        guard bytes.count == 13 else { throw .wrongLength(bytes.count) }
        let expected = try UPN.checkValue(ascii: bytes.dropFirst())
        guard bytes.first == Self.letterBytes[expected] else {
            throw .wrongCheckLetter(expected: Self.letters[expected])
        }
        self.value = upper
    }

    /// A value already made valid by its maker (see `make`).
    private init(made value: String) { self.value = value }

    /// Whether this is a temporary UPN (its last character is a letter).
    public var isTemporary: Bool { value.last.map { $0.isLetter } ?? false }

    /// The check letter for the 12 characters after it; throws when a character is not allowed.
    public static func checkLetter(forBody body: String) throws(Problem) -> Character {
        let upper = body.uppercased()
        guard upper.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            // Not a UPN's characters: say where, counting characters as a person does.
            let chars = Array(upper)
            guard chars.count == 12 else { throw .wrongLength(chars.count + 1) }
            for (offset, char) in chars.enumerated() where !(char.isASCII && char.wholeNumberValue != nil) {
                guard offset == 11, letters.contains(char) else { throw .badCharacter(position: offset + 2) }
            }
            throw .badCharacter(position: 13)
        }
        guard upper.utf8.count == 12 else { throw .wrongLength(upper.utf8.count + 1) }
        return letters[try checkValue(ascii: upper.utf8)]
    }

    static let letterBytes = Array("ABCDEFGHJKLMNPQRTUVWXYZ".utf8)

    /// The check letter's place in the table for twelve upper-case ASCII characters.
    private static func checkValue(ascii body: some Collection<UInt8>) throws(Problem) -> Int {
        var sum = 0
        for (offset, byte) in body.enumerated() {
            let value: Int
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                value = Int(byte - UInt8(ascii: "0"))
            } else if offset == 11, let index = letterBytes.firstIndex(of: byte) {
                value = index  // a temporary UPN's final letter, valued by the same table
            } else {
                throw .badCharacter(position: offset + 2)
            }
            sum += value * (offset + 2)
        }
        return sum % 23
    }

    /// Builds a valid UPN from its parts (used by the demo and tests).
    public static func make(la: Int, estab: Int, year: Int, serial: Int) -> UPN {
        // Each part is cut to its width, so the body is always twelve digits and has a check letter.
        func pad(_ value: Int, _ width: Int) -> String {
            var limit = 1
            for _ in 0..<width { limit *= 10 }
            let text = String(abs(value) % limit)
            return String(repeating: "0", count: width - text.count) + text
        }
        let body = pad(la, 3) + pad(estab, 4) + pad(year, 2) + pad(serial, 3)
        let letter = (try? checkValue(ascii: body.utf8)).map { letters[$0] } ?? "A"
        return UPN(made: String(letter) + body)
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
