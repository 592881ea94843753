import AttendanceCore
import Foundation

extension DeviceSave {
    /// A device's save as a form or a body names it: nil without a key (a save from a page without its script, or
    /// an API client that does not hold saves). The time is ISO 8601 with a zone, as a browser's
    /// `Date.toISOString()` gives it; a key or a time that cannot be taken is refused naming its field.
    static func sent(
        key: String?, madeAt: String?, receivedAt: Date, keyField: String, madeAtField: String
    ) throws(WebError) -> DeviceSave? {
        guard let key, !key.isEmpty else { return nil }
        var time: Date? = nil
        if let madeAt, !madeAt.isEmpty {
            guard let parsed = DeviceSave.time(madeAt) else {
                throw .badField(madeAtField, .deviceSave(.madeAt))
            }
            time = parsed
        }
        do {
            return try DeviceSave(key: key, madeAt: time, receivedAt: receivedAt)
        } catch {
            throw .badField(error == .key ? keyField : madeAtField, .deviceSave(error))
        }
    }
}
