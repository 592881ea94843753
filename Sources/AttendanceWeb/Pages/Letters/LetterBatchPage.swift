import AttendanceCore
import AttendanceStore
import Foundation

/// One kept letter's line in a table (the batch page, the pupil's page).
struct LetterRow: Sendable {
    let date: String
    let letter: String
    let to: String
    let languages: String
    let how: String
    let by: String
    let href: String
    let pupil: String
    let pupilHref: String
    /// The letter's own PDF, when it was printed (named so that a row without one never shows the batch's).
    let letterPDFHref: String?
    let pdfLabel: String?
    /// For an emailed letter: sent, waiting, failed and why.
    let status: String?

    static func rows(
        _ letters: [StoredLetter], deliveries: [Delivery], names: [UPN: String] = [:], people: [String: String],
        text: @escaping (String, [String: String]) -> String
    ) -> [LetterRow] {
        let byLetter = Dictionary(
            deliveries.compactMap { delivery in delivery.letterID.map { ($0, delivery) } },
            uniquingKeysWith: { a, _ in a })
        return letters.map { letter in
            let printed = letter.pdf != nil || letter.html == nil
            return LetterRow(
                date: DateText.moment(letter.producedAt, text),
                letter: text("letters.kind.\(letter.kind.rawValue)", [:]),
                to: letter.recipientNames.joined(separator: ", "),
                languages: letter.languages.map { text("language.\($0.rawValue)", [:]) }.joined(separator: ", "),
                how: text("channel.\(letter.channel)", [:]),
                by: RecordWords.actor(letter.producedBy, names: people, text: text),
                href: SiteURL.school(.letter, letter.school, id: letter.id),
                pupil: names[letter.upn] ?? letter.upn.value,
                pupilHref: SiteURL.pupil(letter.upn, fragment: "letters"),
                letterPDFHref: printed ? SiteURL.school(.letterPDF, letter.school, id: letter.id) : nil,
                pdfLabel: printed ? text("letters.pdf", [:]) : nil,
                status: byLetter[letter.id].map { status($0, text: text) })
        }
    }

    /// A message's state in words: sent, or waiting or failed with how many tries and the last error.
    static func status(_ delivery: Delivery, text: (String, [String: String]) -> String) -> String {
        var words = text("delivery.\(delivery.status.rawValue)", [:])
        if delivery.attemptCount > 0 {
            words += " (" + text("letters.attempts", ["count": String(delivery.attemptCount)])
            if delivery.status != .sent, let error = delivery.lastError {
                words += "; " + text("letters.lastError", ["error": error])
            }
            words += ")"
        }
        return words
    }
}

/// The headings of a table of letters.
struct LetterColumns: Sendable {
    let dateLabel: String
    let letterLabel: String
    let toLabel: String
    let languageLabel: String
    let howLabel: String
    let statusLabel: String
    let byLabel: String
    let pupilLabel: String

    init(text: (String) -> String) {
        dateLabel = text("letters.date")
        letterLabel = text("letters.letter")
        toLabel = text("letters.to")
        languageLabel = text("letters.language")
        howLabel = text("letters.how")
        statusLabel = text("letters.status")
        byLabel = text("letters.by")
        pupilLabel = text("letters.pupil")
    }
}

/// A batch of letters just produced from the queue: what went, by post or email, what is waiting, the PDF.
struct LetterBatchPage: PageModel {
    static let template = "letter-batch"

    let title: String
    let summary: String
    let needing: String?
    let skipped: String?
    let waiting: String?
    /// The whole batch as one PDF, only to a reader who may open every letter in it.
    let pdfHref: String?
    let pdfLabel: String?
    let noPDF: String?
    let letters: [LetterRow]
    let hasLetters: Bool
    let actionsHref: String
    let columns: LetterColumns

    /// - Parameters:
    ///   - counts: what the batch could not do (letters needing details, pupils without a contact, messages
    ///     waiting for email or texts to be set up), as the batch reported them.
    ///   - batchPDF: the link to the batch's PDF, when there is one the reader may have.
    ///   - pdfMissing: whether PDFs cannot be made here at all (WeasyPrint absent).
    static func make(
        school: String, laestab: LAESTAB, letters: [LetterRow], counts: (needing: Int, skipped: Int, waiting: Int),
        posted: Int, emailed: Int, batchPDF: String?, pdfMissing: Bool, text: (String, [String: String]) -> String
    ) -> LetterBatchPage {
        LetterBatchPage(
            title: text("letters.batchTitle", ["school": school]),
            summary: text(
                "letters.batchSummary",
                ["count": String(letters.count), "posted": String(posted), "emailed": String(emailed)]),
            needing: counts.needing > 0 ? text("letters.needingDetails", ["count": String(counts.needing)]) : nil,
            skipped: counts.skipped > 0 ? text("error.noContact", [:]) + " (\(counts.skipped))" : nil,
            waiting: counts.waiting > 0 ? text("letters.waiting", ["count": String(counts.waiting)]) : nil,
            pdfHref: batchPDF, pdfLabel: batchPDF.map { _ in text("letters.downloadPDF", [:]) },
            noPDF: batchPDF == nil && !letters.isEmpty && pdfMissing ? text("letters.noPDF", [:]) : nil,
            letters: letters, hasLetters: !letters.isEmpty, actionsHref: SiteURL.school(.actions, laestab),
            columns: LetterColumns(text: { text($0, [:]) }))
    }
}
