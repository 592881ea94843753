import Foundation

public enum CodeTableError: Error, Equatable, CustomStringConvertible {
    case unreadable(String)
    case duplicateCode(String)
    case duplicateID(UInt8)
    case empty
    case missingMeaning(CodeMeaning)

    public var description: String {
        switch self {
        case .unreadable(let reason): return "the code table could not be read: \(reason)"
        case .duplicateCode(let code): return "the code \(code) appears more than once"
        case .duplicateID(let id): return "two codes share the id \(id)"
        case .empty: return "the code table has no codes"
        case .missingMeaning(let meaning):
            return "no code has the meaning \(meaning.rawValue), which the lateness and follow-up rules need"
        }
    }
}

/// A set of attendance codes loaded from data (the Welsh 2010 set by default).
public struct CodeTable: Sendable {
    public let name: String
    public let codes: [AttendanceCode]
    private let byCode: [String: AttendanceCode]
    /// Summary class for each compact id, so a mark string is tallied with one table look-up a byte.
    let classByID: [SummaryClass]
    private let byID: [AttendanceCode?]
    /// The register's present codes, morning and afternoon (see `RegisterRules.presentCode`): found once, as every
    /// pupil of every register save asks.
    let present: (am: AttendanceCode, pm: AttendanceCode)
    /// The codes the register and the follow-up pick by themselves (L, U and N in the Welsh set): every table has
    /// them, so they are found once here rather than looked up and unwrapped where they are used.
    public let lateBeforeClose: AttendanceCode
    public let lateAfterClose: AttendanceCode
    public let noReasonYet: AttendanceCode

    public init(name: String, codes: [AttendanceCode]) throws {
        guard !codes.isEmpty else { throw CodeTableError.empty }
        var byCode: [String: AttendanceCode] = [:]
        var byID = [AttendanceCode?](repeating: nil, count: 256)
        var classByID = [SummaryClass](repeating: .unmarked, count: 256)
        for code in codes {
            guard byCode[code.code] == nil else { throw CodeTableError.duplicateCode(code.code) }
            guard byID[Int(code.id)] == nil else { throw CodeTableError.duplicateID(code.id) }
            byCode[code.code] = code
            byID[Int(code.id)] = code
            classByID[Int(code.id)] = SummaryClass(code)
        }
        // The register's automatic late marks need both lateness meanings to exist in any table.
        func required(_ meaning: CodeMeaning) throws -> AttendanceCode {
            guard let code = codes.first(where: { $0.means(meaning) }) else {
                throw CodeTableError.missingMeaning(meaning)
            }
            return code
        }
        lateBeforeClose = try required(.lateBeforeClose)
        lateAfterClose = try required(.lateAfterClose)
        noReasonYet = try required(.noReasonYet)
        self.name = name
        self.codes = codes
        self.byCode = byCode
        self.byID = byID
        self.classByID = classByID
        // The table's register codes for each half of the day: `/` and `\\` in the Welsh set.
        let present = codes.filter { $0.category == .present && $0.usableAtRegister && $0.meanings.isEmpty }
        let fallback = present.first ?? codes.first { $0.category == .present } ?? codes[0]
        self.present = present.count >= 2 ? (present[0], present[1]) : (fallback, fallback)
    }

    /// Loads a table from JSON: `{"name": "...", "codes": [{"code": "/", "name_en": ..., "name_cy": ..., "category": ...}]}`.
    public init(json: Data) throws {
        struct File: Decodable {
            let name: String
            let codes: [AttendanceCode]
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch let error as DecodingError {
            throw CodeTableError.unreadable(Self.describe(error))
        }
        try self.init(name: file.name, codes: file.codes)
    }

    public subscript(code: String) -> AttendanceCode? { byCode[code] }

    public func code(id: UInt8) -> AttendanceCode? { byID[Int(id)] }

    /// The first code with a meaning (the register uses it to pick L, U, N automatically).
    public func code(meaning: CodeMeaning) -> AttendanceCode? { codes.first { $0.means(meaning) } }

    public func codes(in category: CodeCategory) -> [AttendanceCode] { codes.filter { $0.category == category } }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)).\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

extension CodeTable {
    /// The table in the same JSON form it is loaded from, with stable ordering, so an authority can start
    /// its own table from the shipped one.
    public func json() throws -> Data {
        struct File: Encodable {
            let name: String
            let codes: [AttendanceCode]
        }
        let file = File(name: name, codes: codes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(file)
    }
}
