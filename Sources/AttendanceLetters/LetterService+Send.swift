import AttendanceCore
import AttendanceStore
import Foundation
import Logging

extension LetterService {
    /// What one round of sending did.
    public struct SendResult: Sendable, Equatable {
        public var sent = 0
        public var failed = 0
        /// Left waiting because their channel is not set up here.
        public var waiting = 0
    }

    /// Sends every message whose time has come; a failure is recorded on the pupil's record and tried again
    /// later. Nothing is dropped: a message stays failed, and visible, until it goes.
    public func sendDue(at now: Date = Date()) async throws -> SendResult {
        var result = SendResult()
        for delivery in try await store.letters.dueDeliveries(at: now) {
            // How this message goes, if its channel is set up here; otherwise it waits, still due.
            let send: () async throws -> String?
            switch delivery.channel {
            case .email:
                guard let smtp else {
                    result.waiting += 1
                    continue
                }
                send = {
                    try await SMTPClient(smtp).send(try await mail(for: delivery, from: smtp.from))
                    return nil
                }
            case .sms:
                guard let texts else {
                    result.waiting += 1
                    continue
                }
                send = {
                    try await texts.send(
                        to: delivery.recipient, message: delivery.body, reference: "delivery-\(delivery.id)")
                }
            }
            guard try await store.letters.claimDelivery(delivery.id, at: now) else { continue }
            do {
                let reference = try await send()
                try await store.letters.recordAttempt(
                    delivery: delivery.id, succeeded: true, detail: "sent", providerReference: reference, at: now)
                result.sent += 1
            } catch {
                // The reason goes on the pupil's record; a server's reply may quote the address, so not in the log.
                logger.warning("message \(delivery.id) (\(delivery.channel.rawValue)) not sent; will retry")
                try await store.letters.recordAttempt(
                    delivery: delivery.id, succeeded: false, detail: String(describing: error), at: now)
                result.failed += 1
            }
        }
        return result
    }

    /// The email for a letter: its text, and the kept PDF (or, without one, the kept HTML) attached unchanged.
    func mail(for delivery: Delivery, from: String) async throws -> MailMessage {
        var attachments: [MailMessage.Attachment] = []
        if let id = delivery.letterID, let letter = try await store.letters.letter(id: id) {
            let name = "\(letter.kind.rawValue)-\(letter.upn.value)"
            if let pdf = letter.pdf {
                attachments.append(.init(filename: name + ".pdf", contentType: "application/pdf", data: pdf))
            } else if let html = letter.html {
                attachments.append(
                    .init(filename: name + ".html", contentType: "text/html; charset=utf-8", data: Data(html.utf8)))
            }
        }
        return MailMessage(
            from: from, to: delivery.recipient, subject: delivery.subject, text: delivery.body,
            attachments: attachments)
    }

    /// First-day contact: a message to the first contact of every pupil absent today with no reason given,
    /// by text when they have a mobile and texts are set up, else by email, in the contact's language(s).
    /// A pupil already sent one today is skipped. Returns how many were queued.
    public func queueFirstDayMessages(
        school laestab: LAESTAB, on date: LocalDate, by actor: AuditActor
    ) async throws -> Int {
        let school = try await store.reference.requireSchool(laestab)
        let purpose = "first_day:\(date.iso)"
        var queued: [NewDelivery] = []
        // A parent who has told the school already is not asked why.
        let reported = Set(try await store.leave.absenceReports(school: laestab, on: date).map(\.upn))
        for entry in try await store.registers.pupils(withMeaning: .noReasonYet, school: laestab, on: date) {
            let upn = entry.pupil.upn
            guard !reported.contains(upn),
                try await !store.letters.deliveries(of: upn).contains(where: { $0.purpose == purpose }),
                let contact = try await store.contacts.contacts(of: upn).sorted(by: { $0.priority < $1.priority }).first
            else { continue }
            let languages = contact.language.letterLanguages
            let name = entry.pupil.preferredForename ?? entry.pupil.legalForename
            let text = languages.map {
                templates.label(
                    "firstDay.text", $0, ["school": school.school.name, "pupil": name, "date": date.letterText($0)])
            }.joined(separator: "\n")
            if texts != nil, let mobile = contact.mobile, !mobile.isEmpty {
                queued.append(
                    NewDelivery(upn: upn, channel: .sms, purpose: purpose, recipient: mobile, subject: "", body: text))
            } else if smtp != nil, let email = contact.email, !email.isEmpty {
                let subject = languages.map { templates.label("firstDay.subject", $0, ["pupil": name]) }.joined(
                    separator: " / ")
                queued.append(
                    NewDelivery(
                        upn: upn, channel: .email, purpose: purpose, recipient: email, subject: subject, body: text))
            }
        }
        try await store.letters.queueDeliveries(queued, by: actor)
        return queued.count
    }
}
