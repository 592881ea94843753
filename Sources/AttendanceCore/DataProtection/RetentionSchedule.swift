import Foundation

/// A kind of record the retention schedule keeps for a time, each dated by the school year it belongs to.
public enum RetainedRecord: String, Sendable, CaseIterable, Codable {
    /// The register: each pupil's year of marks, who recorded them, and the changes made to them.
    case registers
    /// The procedure's actions (letters due, calls, meetings, referrals) and what became of them.
    case procedureActions = "procedure_actions"
    /// Letters as sent, and their emails and text messages.
    case letters
    /// Education Social Work cases, by the school year of their referral.
    case eswCases = "esw_cases"
    /// Penalty notice cases, by the school year they were opened.
    case penaltyCases = "penalty_cases"
    /// The audit trail.
    case auditTrail = "audit_trail"
}

/// How long each kind of record is kept: whole school years after the one it belongs to. Data, not code: the
/// authority's schedule is a JSON file (`attendance retention --rules FILE`), checked when it is read.
public struct RetentionSchedule: Sendable, Equatable {
    /// Whole school years kept after the record's own, by kind.
    public let years: [RetainedRecord: Int]

    /// Registers and their history: at least three years after the school year (the policy's minimum).
    public static let registersAtLeast = 3

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notJSON(String)
        case missing(RetainedRecord)
        case tooShort(RetainedRecord, minimum: Int)
        case outOfRange(RetainedRecord)

        public var description: String {
            switch self {
            case .notJSON(let detail): "not a retention schedule: \(detail)"
            case .missing(let record): "\(record.rawValue): no period given"
            case .tooShort(let record, let minimum):
                "\(record.rawValue): kept at least \(minimum) school years after its own"
            case .outOfRange(let record): "\(record.rawValue): from 1 to 100 school years"
            }
        }
    }

    /// A schedule, checked: every kind has a period of 1–100 years, registers at least three, and the audit trail
    /// at least as long as anything it tells the history of (so no line goes before the record it is about).
    public init(years: [RetainedRecord: Int]) throws(Problem) {
        for record in RetainedRecord.allCases {
            guard let kept = years[record] else { throw .missing(record) }
            guard (1...100).contains(kept) else { throw .outOfRange(record) }
        }
        if let registers = years[.registers], registers < Self.registersAtLeast {
            throw .tooShort(.registers, minimum: Self.registersAtLeast)
        }
        let longest = years.filter { $0.key != .auditTrail }.values.max() ?? 0
        if let audit = years[.auditTrail], audit < longest { throw .tooShort(.auditTrail, minimum: longest) }
        self.years = years
    }

    /// Read from JSON: `{"keep_school_years_after": {"registers": 3, …}}`.
    public init(json: Data) throws(Problem) {
        struct File: Decodable {
            let keepSchoolYearsAfter: [String: Int]
            enum CodingKeys: String, CodingKey { case keepSchoolYearsAfter = "keep_school_years_after" }
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: json) } catch {
            throw .notJSON(String(describing: error).prefix(200).description)
        }
        var years: [RetainedRecord: Int] = [:]
        for (key, value) in file.keepSchoolYearsAfter {
            guard let record = RetainedRecord(rawValue: key) else { throw .notJSON("'\(key)' is not a kind of record") }
            years[record] = value
        }
        try self.init(years: years)
    }

    /// The schedule shipped until the authority sets its own: registers three school years after their own (the
    /// policy's minimum), casework and letters six, and the audit trail as long as the longest.
    public static let shipped: RetentionSchedule = {
        do {
            return try RetentionSchedule(years: [
                .registers: 3, .procedureActions: 6, .letters: 6, .eswCases: 6, .penaltyCases: 6, .auditTrail: 6,
            ])
        } catch {
            fatalError("the shipped retention schedule is invalid: \(error)")
        }
    }()

    /// The first school year still kept of a kind on `day`: the current school year less the years kept. Records
    /// of earlier school years are due to be removed.
    public func keptFrom(_ record: RetainedRecord, on day: LocalDate) -> AcademicYear {
        AcademicYear(startYear: day.academicYear.startYear - (years[record] ?? 100))
    }
}
