import Foundation
import SQLKit

/// A new mark row, as written.
struct NewMarkRow {
    let pupilID: Int
    let schoolID: Int
    let date: String
    let session: String
    let code: String
    let minutesLate: Int?
    let note: String?
    let recordedBy: String
    let recordedAt: String
}

extension Store {
    /// Inserts new marks. Many at once (an import, a register, a batch of registers) go as one JSON text per
    /// statement, which the database unpacks itself: binding nine values a row from Swift costs more than the
    /// database's own work.
    static func insertMarks(_ rows: [NewMarkRow], postgres: Bool, on db: any SQLDatabase) async throws {
        for chunk in rows.chunked(20_000) where !chunk.isEmpty {
            // One author for every row (an import, one register) is bound once; a batch of registers names its own.
            let first = chunk[chunk.startIndex]
            let oneAuthor = chunk.allSatisfy { $0.recordedBy == first.recordedBy && $0.recordedAt == first.recordedAt }
            let json = jsonArray(chunk, authors: !oneAuthor)
            let (by, at): (SQLQueryString, SQLQueryString)
            if oneAuthor {
                (by, at) = ("\(bind: first.recordedBy)", "\(bind: first.recordedAt)")
            } else {
                (by, at) = postgres ? ("e->>7", "e->>8") : ("value->>7", "value->>8")
            }
            if postgres {
                try await db.raw(
                    """
                    INSERT INTO marks (pupil_id, school_id, date, session, code, minutes_late, note, recorded_by, recorded_at)
                    SELECT (e->>0)::bigint, (e->>1)::bigint, e->>2, e->>3, e->>4, (e->>5)::bigint, e->>6,
                    """ + " " + by + ", " + at + " FROM jsonb_array_elements(\(bind: json)::jsonb) AS e"
                ).run()
            } else {
                try await db.raw(
                    """
                    INSERT INTO marks (pupil_id, school_id, date, session, code, minutes_late, note, recorded_by, recorded_at)
                    SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6,
                    """ + " " + by + ", " + at + " FROM json_each(\(bind: json))"
                ).run()
            }
        }
    }

    /// `[[pupil, school, "date", "session", "code", minutes|null, "note"|null], …]`, with `"by", "at"` after the
    /// note when `authors`; strings escaped per RFC 8259.
    static func jsonArray(_ rows: ArraySlice<NewMarkRow>, authors: Bool) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(rows.count * 48)
        func number(_ value: Int) { out.append(contentsOf: String(value).utf8) }
        func string(_ value: String) {
            out.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
                case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
                case 0..<0x20: out.append(contentsOf: Array(String(format: "\\u%04x", byte).utf8))
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        for (index, row) in rows.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            number(row.pupilID)
            out.append(UInt8(ascii: ","))
            number(row.schoolID)
            out.append(UInt8(ascii: ","))
            string(row.date)
            out.append(UInt8(ascii: ","))
            string(row.session)
            out.append(UInt8(ascii: ","))
            string(row.code)
            out.append(UInt8(ascii: ","))
            if let minutes = row.minutesLate { number(minutes) } else { out.append(contentsOf: Array("null".utf8)) }
            out.append(UInt8(ascii: ","))
            if let note = row.note { string(note) } else { out.append(contentsOf: Array("null".utf8)) }
            if authors {
                out.append(UInt8(ascii: ","))
                string(row.recordedBy)
                out.append(UInt8(ascii: ","))
                string(row.recordedAt)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }
}
