import AttendanceCore
import AttendanceStore
import Foundation
import Logging

/// Why a letter could not be produced.
public enum LetterProblem: Error, CustomStringConvertible, Equatable {
    /// The letter needs details a person must give (a meeting's date, a holiday decision).
    case missingDetails([String])
    /// The pupil has no contact to write to.
    case noContact(UPN)
    /// A detail given by hand cannot be kept (not a date, too long …); the first is named.
    case badDetail(LetterDetails.Problem)
    /// The pupil has left the school: it no longer writes to their parents.
    case notOnRoll(UPN)
    /// The record does not show what the letter would say (named).
    case recordLacks(UPN, LetterConditions.Lack)
    /// A 100% certificate for a pupil whose attendance in its period is not 100%.
    case notEarned(UPN)
    /// The ESW referral goes once the meeting invitation has been sent (it reports what happened).
    case waitingForInvitation(UPN)

    public var description: String {
        switch self {
        case .badDetail(let problem): return "--detail \(problem)"
        case .notOnRoll(let upn): return "\(upn) has left this school: letters come from the school they are at"
        case .recordLacks(let upn, let lack): return "\(upn): the record does not show what this letter says (\(lack))"
        case .notEarned(let upn): return "\(upn) has not attended every session this school year: no 100% certificate"
        case .waitingForInvitation(let upn):
            return "\(upn): the ESW referral follows the meeting invitation; send the invitation first"
        case .missingDetails(let names): return "give " + names.map { "--detail \($0)=…" }.joined(separator: ", ")
        case .noContact(let upn): return "\(upn) has no contact to write to: add one before producing letters"
        }
    }
}

/// Produces letters and sends messages: the one place the web pages and the command go through, so a letter
/// made from the queue, the pupil's page or the command is made, kept and sent the same way.
public struct LetterService: Sendable {
    public let store: Store
    public let templates: LetterTemplates
    /// Nil when WeasyPrint is not installed: letters are then kept and shown as HTML only.
    public let pdf: PDFMaker?
    /// Nil when email is not set up: letters go by post.
    public let smtp: SMTPConfiguration?
    /// Nil when text messages are not set up.
    public let texts: (any TextMessageSender)?
    /// The procedure in force: a penalty notice warning quotes the term by its rule.
    public let policy: Policy
    let logger: Logger

    public init(
        store: Store, templates: LetterTemplates, pdf: PDFMaker?, smtp: SMTPConfiguration?,
        texts: (any TextMessageSender)?, policy: Policy = .wrexham2025,
        logger: Logger = Logger(label: "attendance.letters")
    ) {
        self.policy = policy
        self.store = store
        self.templates = templates
        self.pdf = pdf
        self.smtp = smtp
        self.texts = texts
        self.logger = logger
    }

    /// Email or text messages are set up here, so messages can go at all.
    public var canSend: Bool { smtp != nil || texts != nil }

    /// What producing a batch did.
    public struct Batch: Sendable {
        public let id: String
        public let letterIDs: [Int]
        public let posted: Int
        public let emailed: Int
        /// Pending actions left for a person: meeting invitations need a date, time and place.
        public let needingDetails: Int
        /// Pupils left out because they have no contact to write to (their actions stay pending).
        public let withoutContact: Int
        /// Letters left pending for something the record must show first: Letter 3 for the head of year's call
        /// (or the head's dismissal of it), the ESW referral for the meeting invitation.
        public let waiting: Int
        public let pdf: Data?
    }

    /// Every letter the school's pending actions call for, each recipient in their own language(s): kept on the
    /// pupil's record, the actions marked done, emails queued, and the printed ones as one PDF. With `years`, only
    /// the actions for pupils in those year groups (a head of year works their own years, nothing else).
    ///
    /// `progress` hears (letters made, letters in all) as the letters are made; the total is known once the queue
    /// has been read.
    public func produceDue(
        school laestab: LAESTAB, years: Set<String>? = nil, today: LocalDate, by actor: AuditActor, signatory: String,
        progress: (@Sendable (Int, Int) async -> Void)? = nil
    ) async throws -> Batch {
        let school = try await store.reference.requireSchool(laestab)
        // Only this school year's: a batch made before the year's first run makes nothing from last year.
        let queue = try await store.procedure.actions(school: laestab, year: today.academicYear)
        // A penalty notice warning is the head teacher's decision, taken on the queue: never part of a batch.
        let pending = queue.filter {
            LetterKind(action: $0.action) != nil && $0.action != .fpnEligible
                && (years?.contains($0.pupil.yearGroup) ?? true)
        }
        // Letter 3 follows the head of year's call: while the call is pending it waits (the head may dismiss the
        // call with a reason to let it go).
        let callPending = Set(queue.filter { $0.action == .phoneCall }.map(\.pupil.upn))
        func waits(_ item: QueuedAction) -> Bool {
            item.action == .letter3 && callPending.contains(item.pupil.upn)
        }
        // Letters 1–3 are a series: a pupil who has crossed several lines since the last batch gets only the
        // latest that may go, and the earlier ones are completed as overtaken by it rather than sent the same day.
        let series: [LetterKind] = [.letter1, .letter2, .letter3]
        var latest: [UPN: (kind: LetterKind, id: ActionID)] = [:]
        for item in pending where !waits(item) {
            guard let kind = LetterKind(action: item.action), let rank = series.firstIndex(of: kind) else { continue }
            if let current = latest[item.pupil.upn], (series.firstIndex(of: current.kind) ?? -1) >= rank { continue }
            latest[item.pupil.upn] = (kind, item.id)
        }
        var letters: [(action: ActionID, kind: LetterKind, facts: LetterFacts, recipient: LetterRecipient)] = []
        var overtaken: [ActionID: String] = [:]
        var needingDetails = 0
        var withoutContact = 0
        var waiting = 0
        for item in pending.sorted(by: { ($0.pupil.registrationGroup, $0.id) < ($1.pupil.registrationGroup, $1.id) }) {
            guard let kind = LetterKind(action: item.action) else { continue }  // pending holds letters' actions
            if waits(item) {
                waiting += 1
                continue
            }
            if series.contains(kind), let newest = latest[item.pupil.upn], newest.id != item.id {
                overtaken[item.id] = ActionNote.overtaken(by: newest.kind).stored
                continue
            }
            guard kind.requiredDetails.isEmpty else {
                needingDetails += 1
                continue
            }
            // A pupil who has left is written to by their new school; the action stays for a person to close.
            guard try await isCurrent(item.pupil.upn, at: laestab, on: today) else { continue }
            let recipients: [LetterRecipient]
            do {
                recipients = try await self.recipients(kind, of: item.pupil.upn)
            } catch LetterProblem.noContact {
                withoutContact += 1
                continue
            }
            let facts = try await self.facts(item.pupil.upn, school: school.school, today: today, signatory: signatory)
            // The same conditions on the record as a letter by hand (the action due is the procedure's finding).
            if LetterConditions.lacking(kind, record: record(facts, dueAction: true), policy: policy) != nil {
                waiting += 1
                continue
            }
            for recipient in recipients { letters.append((item.id, kind, facts, recipient)) }
        }
        let id = "\(today.iso)-\(UUID().uuidString.prefix(8).lowercased())"
        let total = letters.count
        await progress?(0, total)
        let made = try await make(
            letters.map { ($0.kind, $0.facts, $0.recipient, $0.action as ActionID?) }, school: laestab, batch: id,
            overtaken: overtaken, by: actor, progress: Self.counting(progress, of: total))
        await progress?(total, total)
        return Batch(
            id: id, letterIDs: made.ids, posted: made.posted, emailed: made.emailed, needingDetails: needingDetails,
            withoutContact: withoutContact, waiting: waiting, pdf: made.combined)
    }

    /// A progress report of letters made, out of `total`.
    private static func counting(
        _ progress: (@Sendable (Int, Int) async -> Void)?, of total: Int
    ) -> (@Sendable (Int) async -> Void)? {
        guard let progress else { return nil }
        return { made in await progress(made, total) }
    }

    /// One kind of letter for one pupil, to every recipient, by hand (a certificate, a holiday decision, a
    /// meeting invitation with its date). Completes the pupil's pending action of that kind, if there is one.
    public func produce(
        _ kind: LetterKind, for upn: UPN, school laestab: LAESTAB, details: [String: String], today: LocalDate,
        by actor: AuditActor, signatory: String, actionID: ActionID? = nil, onlyTo parent: String? = nil
    ) async throws -> [Int] {
        let prepared = try await prepare(
            kind, for: upn, school: laestab, details: details, today: today, signatory: signatory, onlyTo: parent)
        let action = actionID ?? prepared.pendingAction
        return try await make(
            prepared.recipients.map { (kind, prepared.facts, $0, action) }, school: laestab, batch: nil,
            overtaken: [:], by: actor
        ).ids
    }

    /// The letter exactly as `produce` would make it, to each recipient, without keeping or sending anything: what
    /// a person reads before confirming a legal letter (the penalty notice warning).
    public func draft(
        _ kind: LetterKind, for upn: UPN, school laestab: LAESTAB, details: [String: String] = [:],
        today: LocalDate, signatory: String
    ) async throws -> (facts: LetterFacts, documents: [String]) {
        let prepared = try await prepare(
            kind, for: upn, school: laestab, details: details, today: today, signatory: signatory, onlyTo: nil)
        let overrides = try await store.letters.letterTemplateOverrides()
        return (
            prepared.facts,
            try prepared.recipients.map {
                try templates.render(kind, to: $0, facts: prepared.facts, overrides: overrides)
            }
        )
    }

    /// A hand-made letter's facts and recipients, after every check on the record.
    func prepare(
        _ kind: LetterKind, for upn: UPN, school laestab: LAESTAB, details: [String: String], today: LocalDate,
        signatory: String, onlyTo parent: String?
    ) async throws -> (facts: LetterFacts, recipients: [LetterRecipient], pendingAction: ActionID?) {
        if let problem = LetterDetails.problems(details).first { throw LetterProblem.badDetail(problem) }
        let school = try await store.reference.requireSchool(laestab)
        guard try await isCurrent(upn, at: laestab, on: today) else { throw LetterProblem.notOnRoll(upn) }
        // A certificate rewards its period (a term, the year so far); without one, and for every other letter, the
        // school year so far.
        let rewarded =
            [.certificate, .improvementCertificate].contains(kind) ? try period(details, "reward", today: today) : nil
        var facts = try await self.facts(
            upn, school: school.school, today: today, signatory: signatory, details: details, period: rewarded)
        if kind == .improvementCertificate, let earlier = try period(details, "earlier", today: today) {
            facts.earlier = (earlier, try await store.registers.summary(of: upn, in: earlier).1)
        }
        if kind == .fpnWarning {
            // The criteria are per term: the warning quotes this term's figures, by the procedure's own rule.
            facts.penalty = try await store.penalties.penaltyTerm(
                of: upn, school: school.school, asOf: today, policy: policy)
        }
        let missing = facts.missingDetails(for: kind)
        guard missing.isEmpty else { throw LetterProblem.missingDetails(missing) }
        // A letter states only what the record shows, by the same conditions as a batch letter: a pending action of
        // its kind this year is the procedure's finding; without one, the pattern is looked for now.
        let pending = try await store.procedure.actions(school: laestab, upn: upn, year: today.academicYear).first {
            LetterKind(action: $0.action) == kind
        }?.id
        let due = pending != nil
        var preHoliday = due
        if kind == .preHoliday && !due {
            preHoliday = Patterns.find(
                marks: try await store.registers.yearMarks(of: upn, year: today.academicYear),
                calendar: try await store.reference.calendar(for: school.school), asOf: today, codes: store.codes,
                policy: policy
            ).contains { $0.kind == .beforeHolidays }
        }
        switch LetterConditions.lacking(kind, record: record(facts, dueAction: preHoliday), policy: policy) {
        case nil: break
        case .notEarned: throw LetterProblem.notEarned(upn)
        case .waitingForInvitation: throw LetterProblem.waitingForInvitation(upn)
        case let lack?: throw LetterProblem.recordLacks(upn, lack)
        }
        // A penalty notice is one parent's: their own letter, not shared with anyone at the same address.
        if let parent {
            let theirs = try await store.contacts.contacts(of: upn).filter { $0.name == parent }
            guard !theirs.isEmpty else { throw LetterProblem.noContact(upn) }
            return (facts, LetterRecipient.parents(of: theirs), pending)
        }
        return (facts, try await self.recipients(kind, of: upn), pending)
    }

    /// A letter as it would be with this wording, for the template editor's preview: sample facts, both
    /// languages. Throws (naming the placeholder) when the wording could never be sent.
    public func preview(
        _ kind: LetterKind, _ language: Language, source: String, facts: LetterFacts
    ) throws -> String {
        let recipient = LetterRecipient(
            names: ["Rhian Jones"], address: "1 Stryd y Capel\nWrecsam\nLL11 1AA", email: nil, languages: [language])
        return try templates.render(
            kind, to: recipient, facts: facts, overrides: ["\(language.rawValue)/\(kind.rawValue)": source])
    }

    /// What a letter's conditions read, from its facts: `dueAction` says the procedure found the pattern a
    /// pre-holiday letter is about.
    func record(_ facts: LetterFacts, dueAction: Bool) -> LetterConditions.Record {
        LetterConditions.Record(
            summary: facts.summary, sent: facts.history.sent, meeting: facts.history.meeting,
            penaltyMet: facts.penalty?.met ?? [], preHolidayPattern: dueAction, today: facts.date,
            resendReason: facts.details["resend_reason"], earlier: facts.earlier?.summary)
    }

    /// A period a letter's details give (`reward_from` and `reward_to`); one that has not ended is refused.
    private func period(_ details: [String: String], _ name: String, today: LocalDate) throws -> DateRange? {
        guard let from = details["\(name)_from"].flatMap(LocalDate.init(iso:)),
            let to = details["\(name)_to"].flatMap(LocalDate.init(iso:))
        else { return nil }
        guard to <= today else {
            throw LetterProblem.badDetail(LetterDetails.Problem(field: "\(name)_to", reason: .inTheFuture))
        }
        return DateRange(from, to)
    }

    /// A pupil's figures for the school year so far (or the period given), and who they are.
    public func facts(
        _ upn: UPN, school: School, today: LocalDate, signatory: String, details: [String: String] = [:],
        period given: DateRange? = nil
    ) async throws -> LetterFacts {
        let period = given ?? DateRange.yearToDate(today)
        let (stored, summary) = try await store.registers.summary(of: upn, in: period)
        return LetterFacts(
            pupil: stored.pupil, school: school, summary: summary, period: period, date: today, signatory: signatory,
            details: details, history: try await history(upn, school: school, in: period))
    }

    /// What the school has recorded doing about the pupil this school year: its kept letters, the call's outcome,
    /// the meeting's date.
    public func history(_ upn: UPN, school: School, in period: DateRange) async throws -> LetterHistory {
        var history = LetterHistory()
        for letter in try await store.letters.letters(of: upn) where letter.school == school.laestab {
            let day = LocalDate.today(at: letter.producedAt)
            guard day >= period.start else { continue }  // this school year's
            if history.sent[letter.kind].map({ day < $0 }) ?? true { history.sent[letter.kind] = day }
        }
        guard try await store.reference.school(school.laestab) != nil else { return history }
        for item in try await store.procedure.actions(school: school.laestab, status: .done, upn: upn)
        where period.contains(item.dueOn) {
            switch ActionNote(stored: item.statusNote ?? "") {
            case .call(let outcome, let note) where item.action == .phoneCall:
                if let at = item.statusChangedAt { history.call = (LocalDate.today(at: at), outcome) }
                // "3 attempts. …": the count kept when the call was closed without a conversation.
                if outcome == "unreached" {
                    history.callAttempts = note.split(separator: " ").first.flatMap { Int($0) }
                }
            case .meeting(let date, _) where item.action == .attendanceMeeting:
                history.meeting = date
            default: break
            }
        }
        return history
    }

    /// Whether the pupil is (still) on the school's roll on the day.
    private func isCurrent(_ upn: UPN, at school: LAESTAB, on day: LocalDate) async throws -> Bool {
        try await store.reference.pupil(upn)?.enrolments.contains { $0.school == school && $0.isCurrent(on: day) }
            ?? false
    }

    private func recipients(_ kind: LetterKind, of upn: UPN) async throws -> [LetterRecipient] {
        guard kind.isToParents else { return [.educationSocialWork] }
        let recipients = LetterRecipient.parents(of: try await store.contacts.contacts(of: upn))
        guard !recipients.isEmpty else { throw LetterProblem.noContact(upn) }
        return recipients
    }

    /// Renders, makes the PDFs, and keeps the lot in one transaction.
    func make(
        _ letters: [(kind: LetterKind, facts: LetterFacts, recipient: LetterRecipient, action: ActionID?)],
        school: LAESTAB, batch: String?, overtaken: [ActionID: String], by actor: AuditActor,
        progress: (@Sendable (Int) async -> Void)? = nil
    ) async throws -> (ids: [Int], posted: Int, emailed: Int, combined: Data?) {
        guard !letters.isEmpty else {
            if !overtaken.isEmpty {
                try await store.letters.recordLetters(
                    [], school: school, batch: nil, completingAlso: overtaken, by: actor)
            }
            return ([], 0, 0, nil)
        }
        let overrides = try await store.letters.letterTemplateOverrides()
        let documents = try letters.map {
            try templates.render($0.kind, to: $0.recipient, facts: $0.facts, overrides: overrides)
        }
        let channels = letters.map { letter -> NewLetter.Channel in
            smtp != nil && letter.kind.isToParents && letter.recipient.email != nil ? .email : .post
        }
        var pdfs: [Data?] = Array(repeating: nil, count: letters.count)
        var combined: Data?
        if let pdf {
            // The printed pile is made of the very pages kept as each letter's copy.
            let printed = batch == nil ? [] : channels.indices.filter { channels[$0] == .post }
            let rendered = try await pdf.render(documents, combine: printed, progress: progress)
            pdfs = rendered.each
            combined = rendered.combined
        }
        let new = letters.indices.map { index in
            let letter = letters[index]
            return NewLetter(
                upn: letter.facts.pupil.upn, kind: letter.kind, recipient: letter.recipient, channel: channels[index],
                actionID: letter.action, html: documents[index], pdf: pdfs[index],
                email: channels[index] == .email
                    ? templates.email(letter.kind, to: letter.recipient, facts: letter.facts) : nil)
        }
        let ids = try await store.letters.recordLetters(
            new, school: school, batch: batch, completingAlso: overtaken, by: actor)
        if let batch { try await store.letters.recordBatch(batch, school: school, pdf: combined, by: actor) }
        let emailed = channels.filter { $0 == .email }.count
        return (ids, letters.count - emailed, emailed, combined)
    }
}
