import AttendanceCore
import AttendanceStore
import Foundation

extension LetterService {
    /// A reward's certificates as one batch, one per pupil to each of their parents in their language(s): the
    /// rewards page's list. Each pupil passes the same check as a certificate made by hand (`prepare`), so a pupil
    /// who no longer qualifies or has left is counted as `waiting`, and one with no contact as `withoutContact`;
    /// neither is written to. Returns the batch and the pupils written to.
    public func produceCertificates(
        _ kind: LetterKind, for pupils: [UPN], school laestab: LAESTAB, details: [String: String], today: LocalDate,
        by actor: AuditActor, signatory: String, progress: (@Sendable (Int, Int) async -> Void)? = nil
    ) async throws -> (batch: Batch, written: Set<UPN>) {
        var letters: [(kind: LetterKind, facts: LetterFacts, recipient: LetterRecipient, action: ActionID?)] = []
        var withoutContact = 0
        var waiting = 0
        for upn in pupils {
            do {
                let prepared = try await prepare(
                    kind, for: upn, school: laestab, details: details, today: today, signatory: signatory,
                    onlyTo: nil)
                letters += prepared.recipients.map { (kind, prepared.facts, $0, nil) }
            } catch LetterProblem.noContact {
                withoutContact += 1
            } catch LetterProblem.notEarned, LetterProblem.recordLacks, LetterProblem.notOnRoll {
                waiting += 1
            }
        }
        let id = "\(today.iso)-\(UUID().uuidString.prefix(8).lowercased())"
        let total = letters.count
        await progress?(0, total)
        var counted: (@Sendable (Int) async -> Void)? = nil
        if let progress { counted = { made in await progress(made, total) } }
        let made = try await make(
            letters, school: laestab, batch: id, overtaken: [:], by: actor, progress: counted)
        await progress?(total, total)
        let batch = Batch(
            id: id, letterIDs: made.ids, posted: made.posted, emailed: made.emailed, needingDetails: 0,
            withoutContact: withoutContact, waiting: waiting, pdf: made.combined)
        return (batch, Set(letters.map(\.facts.pupil.upn)))
    }
}
