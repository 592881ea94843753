import Foundation
import Logging

/// Log lines as JSON, one object a line, for a log collector (`ATTENDANCE_LOG_FORMAT=json`): the time (UTC), the
/// level, the logger's label, the message and its metadata. What a line says is what the server logs anyway: the
/// route's pattern and an error's type, never a name, a UPN, an email or an address (the audit trail keeps who and
/// whom).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: Any] = [
            "time": Self.time(Date()), "level": event.level.rawValue, "label": label, "message": "\(event.message)",
        ]
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        if !all.isEmpty { fields["metadata"] = all.mapValues { "\($0)" } }
        guard
            var line = try? JSONSerialization.data(
                withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        line.append(UInt8(ascii: "\n"))
        FileHandle.standardError.write(line)
    }

    private static func time(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// How the server writes its log: text for a person at a terminal, or JSON lines.
enum LogFormat: String, CaseIterable, Sendable {
    case text, json

    /// Sets the process's logging once, before anything logs.
    func bootstrap() {
        guard self == .json else { return }
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
    }
}
