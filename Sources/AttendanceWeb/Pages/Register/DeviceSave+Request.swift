import AttendanceCore
import Foundation

extension DeviceSave {
    /// What to do with a device's time that cannot be taken.
    enum BadTime {
        /// Refuse the save naming the field (the API: its client can mend its body).
        case refuse
        /// Write the save without it, as a save made online is written (the register page: a tablet whose clock is
        /// wrong must not lose a register it held; the record then says only when the server received it).
        case leaveOut
    }

    /// A device's save as a form or a body names it: nil without a key (a save from a page without its script, or
    /// an API client that does not hold saves). The time is ISO 8601 with a zone, as a browser's
    /// `Date.toISOString()` gives it. A key that cannot be taken is refused naming its field; a time, as `badTime`
    /// says.
    static func sent(
        key: String?, madeAt: String?, receivedAt: Date, keyField: String, madeAtField: String, badTime: BadTime
    ) throws(WebError) -> DeviceSave? {
        guard let key, !key.isEmpty else { return nil }
        let given = madeAt.flatMap { $0.isEmpty ? nil : $0 }
        let time = given.flatMap(DeviceSave.time)
        do throws(Problem) {
            if given != nil && time == nil { throw .madeAt }
            return try DeviceSave(key: key, madeAt: time, receivedAt: receivedAt)
        } catch {
            guard error == .madeAt, badTime == .leaveOut else {
                throw .badField(error == .key ? keyField : madeAtField, .deviceSave(error))
            }
            do { return try DeviceSave(key: key, madeAt: nil, receivedAt: receivedAt) } catch {
                throw .badField(keyField, .deviceSave(error))
            }
        }
    }
}
