/// Why the procedure called for an action, as the record keeps it (`procedure_actions.basis`): read into a value
/// so every page says it in words, never the stored text.
public enum ActionBasis: Hashable, Sendable {
    /// A threshold of the policy: `count` sessions of this kind of absence.
    case threshold(Policy.Threshold.Counting)
    /// Persistent absence: absent this many of the possible sessions.
    case missed(absent: Int, possible: Int)
    /// Absent just before this many holidays.
    case beforeHolidays(Int)
    /// Absence with no reason given.
    case noReason
    /// A penalty notice's criteria met (`PenaltyCriterion`'s names), or the kinds of absence a medical evidence
    /// flag is about (`illness`, `medical`).
    case criteria([String])
    /// Text this program did not write (kept, shown as it is).
    case other(String)

    public init(stored: String) {
        if let counting = Policy.Threshold.Counting(rawValue: stored) {
            self = .threshold(counting)
        } else if stored == Self.noReasonText {
            self = .noReason
        } else if let numbers = Self.numbers(in: stored, pattern: ["missed", nil, "of", nil]) {
            self = .missed(absent: numbers[0], possible: numbers[1])
        } else if let numbers = Self.numbers(in: stored, pattern: ["before", nil, "holidays"]) {
            self = .beforeHolidays(numbers[0])
        } else if !stored.isEmpty, stored.allSatisfy({ $0.isLowercase || $0 == "_" || $0 == "," }) {
            self = .criteria(stored.split(separator: ",").map(String.init))
        } else {
            self = .other(stored)
        }
    }

    /// The text kept in the record (the same as earlier versions wrote, so old records read the same).
    public var stored: String {
        switch self {
        case .threshold(let counting): counting.rawValue
        case .missed(let absent, let possible): "missed \(absent) of \(possible)"
        case .beforeHolidays(let count): "before \(count) holidays"
        case .noReason: Self.noReasonText
        case .criteria(let names): names.joined(separator: ",")
        case .other(let text): text
        }
    }

    private static let noReasonText = "no_reason"

    /// Every criterion name a rule writes, for the catalogue's `criterion.*` words.
    public static let criterionNames: [String] =
        PenaltyCriterion.allCases.map(\.rawValue) + MedicalEvidenceFlagRule.kinds.map(\.rawValue)
        + [PersistentLatenessRule.criterion]

    /// One of each case, with every criterion name: what the test of the words reads. The switch below does not
    /// compile until a new case is named in it, which brings its author here to add its example.
    public static var examples: [ActionBasis] {
        let all: [ActionBasis] = [
            .threshold(.absence), .threshold(.unauthorised), .missed(absent: 14, possible: 114),
            .beforeHolidays(3), .noReason, .criteria(criterionNames), .other("Iawn"),
        ]
        for basis in all {
            switch basis {
            case .threshold, .missed, .beforeHolidays, .noReason, .criteria, .other: continue
            }
        }
        return all
    }

    /// The numbers in `text` where `pattern` has nil, when its words match the rest exactly.
    private static func numbers(in text: String, pattern: [String?]) -> [Int]? {
        let words = text.split(separator: " ")
        guard words.count == pattern.count else { return nil }
        var numbers: [Int] = []
        for (word, expected) in zip(words, pattern) {
            if let expected {
                guard word == expected else { return nil }
            } else {
                guard let number = Int(word) else { return nil }
                numbers.append(number)
            }
        }
        return numbers
    }
}
