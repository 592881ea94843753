import AttendanceCore
import Foundation

/// A CSV file read against its expected columns: the header is checked once, then each row is read by name.
struct Table {
    /// Columns holding a name or a short value: at most 100 characters (others at most 1,000).
    static let shortColumns: Set<String> = [
        "surname", "forename", "preferred_surname", "preferred_forename", "name", "relationship", "upn", "date",
        "session", "code", "minutes_late", "year_group", "registration_group", "phone", "mobile", "email", "la",
        "estab", "phase", "kind", "start", "end", "dob", "sex", "fsm", "lac", "aln", "on_roll_from", "on_roll_to",
        "esw_area", "new_laestab", "priority", "parental_responsibility", "lives_with_pupil", "language", "am_start",
        "am_close",
        "pm_start",
        "pm_close",
    ]

    let columns: [String: Int]
    /// The file, read a record at a time by `rows` (a whole authority's marks are never held as records).
    private let text: String

    /// Checks the header: every required column present, nothing unknown, nothing twice.
    init(csv text: String, required: [String], optional: [String]) throws(ImportProblems) {
        var first: CSVRecord? = nil
        do {
            try CSV.forEachRecord(in: text) { record in
                first = record
                return false
            }
        } catch { throw ImportProblems([ImportProblem(line: 0, "\(error)")]) }
        guard let first else { throw ImportProblems([ImportProblem(line: 0, "\(CSVError.empty)")]) }
        let header = first.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var problems: [ImportProblem] = []
        var columns: [String: Int] = [:]
        let known = Set(required + optional)
        for (index, name) in header.enumerated() {
            if !known.contains(name) {
                problems.append(
                    ImportProblem(line: 1, "unknown column '\(name)' (expected \(required.joined(separator: ",")))"))
            } else if columns[name] != nil {
                problems.append(ImportProblem(line: 1, "column '\(name)' appears twice"))
            }
            columns[name] = index
        }
        for name in required where columns[name] == nil {
            problems.append(ImportProblem(line: 1, "required column '\(name)' is missing"))
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        self.columns = columns
        self.text = text
    }

    /// Reads each row, collecting every row's problems rather than stopping at the first.
    func rows<Row>(_ readRow: (inout RowReader) -> Row?) throws(ImportProblems) -> [Row] {
        var rows: [Row] = []
        var problems: [ImportProblem] = []
        // Looked up by comparing names: a handful of short names compare faster than they hash.
        let named = columns.map { (name: $0.key, index: $0.value) }
        let checked = columns.sorted { $0.value < $1.value }.map {
            (name: $0.key, index: $0.value, limit: Self.shortColumns.contains($0.key) ? 100 : 1000)
        }
        func read(_ record: CSVRecord) {
            var reader = RowReader(record: record, columns: named)
            if record.fields.count != columns.count {
                problems.append(
                    ImportProblem(
                        line: record.line, "has \(record.fields.count) fields, the header has \(columns.count)"))
                return
            }
            // No field may carry control characters (a NUL ends a string in other programs) or run on without
            // end; names are kept shorter than addresses and notes.
            for (name, index, limit) in checked {
                let field = record.fields[index]
                // Byte by byte: every byte of a character beyond ASCII is 0x80 or more.
                if field.utf8.contains(where: {
                    $0 < 0x20 && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") || $0 == 0x7F
                }) {
                    reader.fail(name, "contains a control character")
                } else if field.utf8.count > limit && field.count > limit {
                    reader.fail(name, "is longer than \(limit) characters")
                }
            }
            let row = readRow(&reader)
            if reader.problems.isEmpty, let row { rows.append(row) } else { problems += reader.problems }
        }
        var header = true
        // A file that does not parse is one problem, whatever its rows held (as it was when it was parsed whole
        // before any row was read).
        do {
            try CSV.forEachRecord(in: text) { record in
                if header {
                    header = false
                    return true
                }
                read(record)
                return true
            }
        } catch { throw ImportProblems([ImportProblem(line: 0, "\(error)")]) }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        return rows
    }
}

/// Reads typed fields from one row, noting each problem with the row's line and the column's name.
struct RowReader {
    let record: CSVRecord
    let columns: [(name: String, index: Int)]
    var problems: [ImportProblem] = []

    var line: Int { record.line }

    func text(_ column: String) -> String {
        guard let index = columns.first(where: { $0.name == column })?.index, index < record.fields.count else {
            return ""
        }
        return Self.trimmed(record.fields[index])
    }

    /// The field without white space at either end. Most fields begin and end with a visible ASCII character and
    /// are returned as they are (any white space, ASCII or not, starts and ends with another byte); the rest are
    /// trimmed by Foundation, as before.
    static func trimmed(_ field: String) -> String {
        let utf8 = field.utf8
        guard let first = utf8.first, let last = utf8.last else { return field }
        if (0x21...0x7E).contains(first) && (0x21...0x7E).contains(last) { return field }
        return field.trimmingCharacters(in: .whitespaces)
    }

    func optionalText(_ column: String) -> String? {
        let value = text(column)
        return value.isEmpty ? nil : value
    }

    mutating func fail(_ column: String, _ message: String) {
        problems.append(ImportProblem(line: record.line, "\(column): \(message)"))
    }

    mutating func required(_ column: String) -> String? {
        let value = text(column)
        if value.isEmpty { fail(column, "is empty") }
        return value.isEmpty ? nil : value
    }

    mutating func date(_ column: String) -> LocalDate? {
        guard let value = required(column) else { return nil }
        guard let date = LocalDate(entered: value) else {
            fail(column, "'\(value)' is not a date (YYYY-MM-DD, from 1990 to 2100)")
            return nil
        }
        return date
    }

    mutating func optionalDate(_ column: String) -> LocalDate?? {
        guard optionalText(column) != nil else { return .some(nil) }
        return date(column).map { .some($0) } ?? nil
    }

    mutating func time(_ column: String) -> TimeOfDay? {
        guard let value = required(column) else { return nil }
        guard let time = TimeOfDay(text: value) else {
            fail(column, "'\(value)' is not a time (HH:MM)")
            return nil
        }
        return time
    }

    mutating func int(_ column: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = required(column) else { return nil }
        guard let number = Int(value), range.contains(number) else {
            fail(column, "'\(value)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return number
    }

    mutating func optionalInt(_ column: String, in range: ClosedRange<Int>) -> Int?? {
        guard optionalText(column) != nil else { return .some(nil) }
        return int(column, in: range).map { .some($0) } ?? nil
    }

    mutating func bool(_ column: String) -> Bool? {
        switch text(column).lowercased() {
        case "", "n", "no", "false", "0": return false
        case "y", "yes", "true", "1": return true
        case let other:
            fail(column, "'\(other)' is not yes or no (Y/N)")
            return nil
        }
    }

    mutating func upn(_ column: String = "upn") -> UPN? {
        guard let value = required(column) else { return nil }
        do { return try UPN(value) } catch {
            fail(column, "'\(value)' is not a valid UPN: \(error)")
            return nil
        }
    }

    mutating func choice<T: RawRepresentable>(_ column: String, _: T.Type) -> T?
    where T.RawValue == String, T: CaseIterable {
        guard let value = required(column) else { return nil }
        guard let choice = T(rawValue: value.lowercased()) ?? T(rawValue: value) else {
            fail(column, "'\(value)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return choice
    }
}
