import AttendanceCore
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

@Suite struct LetterStoreTests {
    @Test(arguments: TestDatabase.available)
    func aKeptLetterIsByteForByteAndCannotBeChangedAndAFailedMessageIsRetried(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let pdf = Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let recipient = LetterRecipient(
                names: ["Siân Jones"], address: "1 Stryd y Capel", email: "sian@example.org", languages: [.cy])
            let ids = try await store.letters.recordLetters(
                [
                    NewLetter(
                        upn: alys, kind: .letter1, recipient: recipient, channel: .email, actionID: nil,
                        html: "<p>Annwyl Siân</p>", pdf: pdf, email: (subject: "Presenoldeb", body: "Mae llythyr…"))
                ], school: school, batch: "b1", by: AuditActor("office"))
            let kept = try #require(try await store.letters.letter(id: ids[0]))
            #expect(kept.pdf == pdf && kept.html == "<p>Annwyl Siân</p>")
            #expect(kept.sha256 == Digest.sha256Hex(pdf))
            #expect(kept.languages == [.cy] && kept.recipientNames == ["Siân Jones"])
            await #expect(throws: (any Error).self) {
                try await store.sql.raw("UPDATE letters SET html = 'changed'").run()
            }
            await #expect(throws: (any Error).self) { try await store.sql.raw("DELETE FROM letters").run() }
            let due = try await store.letters.dueDeliveries()
            #expect(due.count == 1 && due[0].letterID == ids[0] && due[0].recipient == "sian@example.org")
            // One sender claims it; a second (the schedule, the command) finds nothing to send.
            #expect(try await store.letters.claimDelivery(due[0].id))
            #expect(try await !store.letters.claimDelivery(due[0].id))
            try await store.letters.recordAttempt(delivery: due[0].id, succeeded: false, detail: "refused")
            #expect(try await store.letters.dueDeliveries().isEmpty)
            #expect(try await store.letters.dueDeliveries(at: Date().addingTimeInterval(61)).count == 1)
            try await store.letters.retryFailedDeliveriesNow()
            try await store.letters.recordAttempt(delivery: due[0].id, succeeded: true, detail: "sent")
            let record = try await store.letters.deliveries(of: alys)
            #expect(record.count == 1 && record[0].status == .sent && record[0].attemptCount == 2)
            #expect(record[0].attempts.map(\.succeeded) == [false, true])
        }
    }
}
