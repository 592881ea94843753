import AttendanceLetters
import Vapor

/// Sends waiting emails and text messages, and retries failed ones when their time comes, while the server is up.
struct MessageSchedule: LifecycleHandler {
    let letters: LetterService
    let seconds: Int64

    func didBootAsync(_ application: Application) async throws {
        let letters = letters, logger = application.logger
        application.eventLoopGroup.any().scheduleRepeatedAsyncTask(initialDelay: .seconds(5), delay: .seconds(seconds))
        { _ in
            application.eventLoopGroup.any().makeFutureWithTask {
                do {
                    let result = try await letters.sendDue()
                    if result.sent + result.failed > 0 {
                        logger.notice("messages: \(result.sent) sent, \(result.failed) failed (to be retried)")
                    }
                } catch {
                    logger.error("sending messages failed: \(String(reflecting: type(of: error)))")
                }
            }
        }
    }
}

/// Sends what a page has just queued without keeping the page waiting on a slow or absent mail server; each
/// message is claimed before it is sent, so this and the schedule never send one twice.
func sendInBackground(_ letters: LetterService) {
    guard letters.canSend else { return }
    Task { _ = try? await letters.sendDue() }
}
