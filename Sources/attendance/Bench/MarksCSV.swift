import AttendanceCore
import Foundation

/// marks.csv (pupil, code_id, code) and codes.csv (id, code, class), written without Foundation formatting; the
/// pupils numbered 0, 1, 2, … in the order their strings are appended (a number for the export's rows, not the
/// database's id).
struct MarksCSV {
    private var letters: [[UInt8]] = Array(repeating: [], count: 256)
    private let handle: FileHandle
    private var buffer: [UInt8] = Array("pupil,code_id,code\n".utf8)
    private var pupil = 0

    init(codes: CodeTable, folder: URL) throws {
        var table = "id,code,class\n"
        for code in codes.codes {
            let summary = AttendanceSummary(codes: [code])
            let kind =
                summary.attended > 0
                ? "attended"
                : summary.authorised > 0 ? "authorised" : summary.unauthorised > 0 ? "unauthorised" : "not_counted"
            letters[Int(code.id)] = Array(code.code.utf8)
            let quoted = code.code.contains(",") || code.code.contains("\"") || code.code.contains("\\")
            table +=
                "\(code.id),\(quoted ? "\"\(code.code.replacingOccurrences(of: "\"", with: "\"\""))\"" : code.code),\(kind)\n"
        }
        try Data(table.utf8).write(to: folder.appendingPathComponent("codes.csv"))
        let path = folder.appendingPathComponent("marks.csv").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(1 << 24)
    }

    /// One row a mark of each string, the next pupils' in turn.
    mutating func append(_ strings: some Sequence<[UInt8]>) throws {
        for marks in strings {
            for byte in marks where byte != 0 {
                number(pupil)
                buffer.append(44)
                number(Int(byte))
                buffer.append(44)
                let letter = letters[Int(byte)]
                if letter == [92] || letter == [34] || letter == [44] {
                    buffer.append(34)
                    buffer.append(contentsOf: letter == [34] ? [34, 34] : letter)
                    buffer.append(34)
                } else {
                    buffer.append(contentsOf: letter)
                }
                buffer.append(10)
            }
            pupil += 1
            if buffer.count > 1 << 24 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Writes what is left and closes the file.
    mutating func finish() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll()
        try handle.close()
    }

    private mutating func number(_ value: Int) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(48 + rest % 10))
            rest /= 10
        } while rest > 0
        buffer.append(contentsOf: digits.reversed())
    }
}
