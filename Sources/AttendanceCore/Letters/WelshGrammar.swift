import Foundation

/// The few pieces of Welsh grammar letters need (shared/reference/WELSH.md, section 2): phrases are stored whole
/// in each variant rather than built by joining words, because the word after *ei* or *a* changes its first letter.
public enum WelshGrammar {
    /// Whether a word starts with a vowel (for *a* / *ac*): a e i o u w y, with or without an accent.
    static func startsWithVowel(_ word: String) -> Bool {
        guard let first = word.lowercased().unicodeScalars.first else { return false }
        return "aeiouwyâêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ".unicodeScalars.contains(first)
    }

    /// Names joined as a list: "Rhian, Dafydd ac Eleri" (ac before a vowel, a otherwise; names never mutate).
    public static func and(_ names: [String]) -> String {
        guard let last = names.last, names.count > 1 else { return names.first ?? "" }
        let head = names.dropLast().joined(separator: ", ")
        return head + (startsWithVowel(last) ? " ac " : " a ") + last
    }

    /// "and his/her attendance" after a clause about the child: *a'i bresenoldeb* for a boy (soft mutation after
    /// *ei*, his), *a'i phresenoldeb* for a girl (aspirate after *ei*, her), and where the record does not say,
    /// the child's name instead of a pronoun: *a phresenoldeb Alex* (aspirate after *a*).
    public static func andAttendance(_ sex: Sex, forename: String) -> String {
        switch sex {
        case .male: return "a'i bresenoldeb"
        case .female: return "a'i phresenoldeb"
        case .unknown: return "a phresenoldeb \(forename)"
        }
    }

    /// The prepositions that soften the word after them: *ar*, *at*, *am*, *gan*, *heb*, *i*, *o*, *dan*, *tan*,
    /// *dros*, *drwy*, *trwy*, *wrth* (WELSH.md shows *o dd…* in 2(c) and *am b…*, *ar b…* in 2(e); the rest is the
    /// standard list of soft-mutating prepositions).
    static let softeningPrepositions: Set<String> = [
        "ar", "at", "am", "gan", "heb", "i", "o", "dan", "tan", "dros", "drwy", "trwy", "wrth",
    ]

    /// A day put after such a preposition is softened: "ar dydd Llun 7 Rhagfyr" becomes "ar ddydd Llun 7 Rhagfyr"
    /// (WELSH.md 2(d): *o ddydd Llun*; *erbyn dydd Iau* stays, as *erbyn* softens nothing). A sentence from the
    /// catalogue is filled with a date in its plain form, so the sentence is put right once it is whole.
    public static func softenDays(_ sentence: String) -> String {
        guard sentence.contains(" dydd ") else { return sentence }
        var words = sentence.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for index in words.indices.dropFirst() where words[index] == "dydd" {
            let before = words[index - 1].lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "(\"'"))
            if softeningPrepositions.contains(before) { words[index] = "ddydd" }
        }
        return words.joined(separator: " ")
    }

    /// The same phrase in English, so one placeholder serves both languages.
    public static func andAttendanceEnglish(_ sex: Sex, forename: String) -> String {
        switch sex {
        case .male: return "and his attendance"
        case .female: return "and her attendance"
        case .unknown: return "and \(forename)'s attendance"
        }
    }
}
