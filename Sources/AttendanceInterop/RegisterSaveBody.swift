import AttendanceCore
import Foundation

/// A register save as the API takes it, in JSON: `{"marks": [{"upn", "code", "minutes_late", "expected"}],
/// "reason", "save_key", "made_at"}`. Read here rather than at the web edge so that its reader is fuzzed with the
/// other readers of outside input (`Fuzz/FuzzRegisterSave`); the web edge judges what it says by the register's
/// rules.
public struct RegisterSaveBody: Decodable, Sendable, Equatable {
    public struct Entry: Decodable, Sendable, Equatable {
        public let upn: String
        public let code: String
        public let minutesLate: Int?
        /// The code the client last saw for this pupil ("" or null for none); a different current mark is a conflict.
        public let expected: String?

        enum CodingKeys: String, CodingKey {
            case upn, code, expected
            case minutesLate = "minutes_late"
        }
    }
    public let marks: [Entry]
    public let reason: String?
    /// A key the client gives the save, the same each time it sends it (see `DeviceSave`).
    public let saveKey: String?
    /// When the marks were made on the client, where it held them before sending (ISO 8601 with a zone).
    public let madeAt: String?

    enum CodingKeys: String, CodingKey {
        case marks, reason
        case saveKey = "save_key"
        case madeAt = "made_at"
    }

    /// The most marks one save may carry: a register, or a day's corrections, many times over.
    public static let mostMarks = 5_000

    /// The body read, or nil for one that is not of this shape (or carries more than `mostMarks` marks).
    public static func read(_ data: Data) -> RegisterSaveBody? {
        guard let body = try? JSONDecoder().decode(RegisterSaveBody.self, from: data),
            body.marks.count <= mostMarks
        else { return nil }
        return body
    }
}
