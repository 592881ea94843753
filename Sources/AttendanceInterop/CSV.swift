import Foundation

/// A record of a CSV file with the line it starts on (1 = the header), so every error can name its line.
public struct CSVRecord: Sendable, Hashable {
    public let line: Int
    public let fields: [String]
}

public enum CSVError: Error, Equatable, CustomStringConvertible {
    case unterminatedQuote(line: Int)
    case empty

    public var description: String {
        switch self {
        case .unterminatedQuote(let line): return "line \(line): a quoted field is never closed"
        case .empty: return "the file is empty"
        }
    }
}

/// RFC 4180 CSV: commas, double-quoted fields with doubled quotes, CRLF or LF, an optional UTF-8 BOM.
/// Blank lines are skipped. Works on bytes, so large mark files parse quickly.
public enum CSV {
    public static func parse(_ text: String) throws(CSVError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        try forEachRecord(in: text) { record in
            records.append(record)
            return true
        }
        guard !records.isEmpty else { throw .empty }
        return records
    }

    /// Hands each record to `body` in turn, as it is read (a large file of marks is never held as records all at
    /// once), until `body` returns false. An unclosed quote is thrown when it is met, after the records before it.
    public static func forEachRecord(in text: String, _ body: (CSVRecord) -> Bool) throws(CSVError) {
        var text = text
        let result = text.withUTF8 { buffer -> CSVError? in
            var start = 0
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
            return forEachRecord(in: UnsafeBufferPointer(rebasing: buffer[start...]), body)
        }
        if let result { throw result }
    }

    private static func forEachRecord(in bytes: UnsafeBufferPointer<UInt8>, _ body: (CSVRecord) -> Bool) -> CSVError? {
        var fields: [String] = []
        // A quoted field's bytes (quotes undone); an unquoted field is read straight from the text.
        var quoted: [UInt8] = []
        var fieldStart = 0
        var line = 1
        var recordLine = 1
        var index = 0
        var inQuotes = false
        var fieldWasQuoted = false
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

        func endField(at end: Int) {
            if fieldWasQuoted {
                // Anything after the closing quote belongs to the field, as it always has.
                quoted.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[fieldStart..<end]))
                fields.append(String(decoding: quoted, as: UTF8.self))
                quoted.removeAll(keepingCapacity: true)
            } else {
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[fieldStart..<end]), as: UTF8.self))
            }
            fieldWasQuoted = false
        }
        /// False when `body` asks to stop.
        func endRecord(at end: Int) -> Bool {
            endField(at: end)
            defer { fields.removeAll(keepingCapacity: true) }
            if fields.count == 1 && fields[0].isEmpty { return true }
            return body(CSVRecord(line: recordLine, fields: fields))
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < bytes.count, bytes[index + 1] == quote {
                        quoted.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                        fieldStart = index + 1
                    }
                } else {
                    if byte == lf { line += 1 }
                    quoted.append(byte)
                }
            } else if byte == quote && index == fieldStart && !fieldWasQuoted {
                inQuotes = true
                fieldWasQuoted = true
            } else if byte == comma {
                endField(at: index)
                fieldStart = index + 1
            } else if byte == lf || byte == cr {
                let end = index
                if byte == cr, index + 1 < bytes.count, bytes[index + 1] == lf { index += 1 }
                guard endRecord(at: end) else { return nil }
                line += 1
                recordLine = line
                fieldStart = index + 1
            }
            index += 1
        }
        if inQuotes { return .unterminatedQuote(line: recordLine) }
        if fieldStart < bytes.count || !fields.isEmpty || fieldWasQuoted { _ = endRecord(at: bytes.count) }
        return nil
    }

    /// Quotes a field when it needs it. A field a spreadsheet would read as a formula (it starts with `=`, `+`,
    /// `-`, `@`, a tab or a carriage return) is written as text, behind an apostrophe: a name or an email
    /// address typed by anyone must never run when an export is opened.
    public static func escape(_ field: String) -> String {
        var field = field
        if let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { field = "'" + field }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func line(_ fields: [String]) -> String { fields.map(escape).joined(separator: ",") + "\n" }
}
