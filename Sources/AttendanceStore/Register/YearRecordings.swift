import AttendanceCore
import Foundation

/// Who recorded each session's mark in a pupil's school year: the number of a `register_recordings` row (school,
/// who, when) in each session's place, 0 where there is no mark. Stored as four bytes a session, least
/// significant first, in the same places as the codes of `YearMarks`, up to the last recorded session (a shorter
/// string reads as empty after its end).
struct YearRecordings: Hashable, Sendable {
    private(set) var ids: [UInt32]

    init(academicYear: AcademicYear) {
        ids = Array(repeating: 0, count: academicYear.sessionSlotCount)
    }

    /// Reads a stored string; a short or long one is padded or cut to the year's length.
    init(academicYear: AcademicYear, data: Data) {
        let count = academicYear.sessionSlotCount
        var ids = Array(repeating: UInt32(0), count: count)
        for slot in 0..<min(count, data.count / 4) { ids[slot] = Self.id(in: data, at: slot) ?? 0 }
        self.ids = ids
    }

    /// The number stored at a place of a stored string (or of a part of one read from that place on), nil past its
    /// end.
    static func id(in data: Data, at slot: Int) -> UInt32? {
        let at = data.startIndex + slot * 4
        guard at + 4 <= data.endIndex else { return nil }
        return data[at..<at + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    subscript(slot: Int) -> UInt32 {
        get { ids[slot] }
        set { ids[slot] = newValue }
    }

    /// The stored form, without the sessions after the last recorded one: during the year the rest of it is empty,
    /// and a save writes a quarter of the bytes in the autumn that it would in July.
    var data: Data {
        let count = (ids.lastIndex { $0 != 0 } ?? -1) + 1
        var data = Data(count: count * 4)
        data.withUnsafeMutableBytes { raw in
            for (slot, id) in ids.prefix(count).enumerated() {
                raw.storeBytes(of: id.littleEndian, toByteOffset: slot * 4, as: UInt32.self)
            }
        }
        return data
    }
}
