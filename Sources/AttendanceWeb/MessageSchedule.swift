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
