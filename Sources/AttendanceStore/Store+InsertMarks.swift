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
}

extension Store {
    /// Inserts new marks. Many at once (an import, a register) go as one JSON text per statement, which the
    /// database unpacks itself: binding nine values a row from Swift costs more than the database's own work.
    static func insertMarks(
        _ rows: [NewMarkRow], by user: String, at stamp: String, postgres: Bool, on db: any SQLDatabase
    ) async throws {
        for chunk in rows.chunked(20_000) where !chunk.isEmpty {
            let json = jsonArray(chunk)
            if postgres {
                try await db.raw(
                    """
                    INSERT INTO marks (pupil_id, school_id, date, session, code, minutes_late, note, recorded_by, recorded_at)
                    SELECT (e->>0)::bigint, (e->>1)::bigint, e->>2, e->>3, e->>4, (e->>5)::bigint, e->>6,
                    \(bind: user), \(bind: stamp) FROM jsonb_array_elements(\(bind: json)::jsonb) AS e
                    """
                ).run()
            } else {
                try await db.raw(
                    """
                    INSERT INTO marks (pupil_id, school_id, date, session, code, minutes_late, note, recorded_by, recorded_at)
                    SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6,
                    \(bind: user), \(bind: stamp) FROM json_each(\(bind: json))
                    """
                ).run()
            }
        }
    }

    /// `[[pupil, school, "date", "session", "code", minutes|null, "note"|null], …]`, strings escaped per RFC 8259.
    static func jsonArray(_ rows: ArraySlice<NewMarkRow>) -> String {
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
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }
}
