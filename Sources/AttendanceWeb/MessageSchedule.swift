import AttendanceLetters
import AttendanceStore
import Vapor

/// Sends waiting emails and text messages, and retries failed ones when their time comes, while the server is up.
enum MessageSchedule {
    static func work(letters: LetterService, seconds: Int64, metrics: ServerMetrics) -> RepeatingWork {
        RepeatingWork("sending messages", initialDelay: .seconds(5), every: .seconds(seconds)) { app in
            // One server of several sharing the database sends at a time (each message is claimed as well).
            guard
                let result = try await app.context.store.operations.exclusively(
                    .sendingMessages,
                    run: {
                        try await letters.sendDue()
                    })
            else { return }
            if result.sent + result.failed > 0 {
                app.logger.notice("messages: \(result.sent) sent, \(result.failed) failed (to be retried)")
            }
        }
    }
}

/// Sends what a page has just queued without keeping the page waiting on a slow or absent mail server; each
/// message is claimed before it is sent, so this and the schedule never send one twice. A failure is logged (by
/// its type) and the message stays queued for the schedule to retry.
func sendInBackground(_ letters: LetterService, logger: Logger) {
    guard letters.canSend else { return }
    Task {
        do {
            _ = try await letters.sendDue()
        } catch {
            logger.error("sending messages failed: \(String(reflecting: type(of: error)))")
        }
    }
}
