import AttendanceCore
import AttendanceStore
import Vapor

/// The parents' side of a pupil's page: reporting an absence, asking for leave in term time, and the letters
/// sent to them. The office may send either for a parent (a paper form, a phone call).
enum FamilyController {
    /// The family section of the pupil's page, for anyone who sees the pupil whole or as their parent.
    static func section(
        _ request: Request, placement: PupilPlacement, view: PupilView, notice: String?, error: String?,
        typed: PupilPage.Family.Typed = .init()
    ) async throws -> PupilPage.Family? {
        guard view == .full || view == .parent else { return nil }
        let principal = try request.signedIn
        let store = request.context.store
        var letters: [StoredLetter]?
        var mine: Contact?
        var messages: [Delivery] = []
        if view == .parent {
            mine = try await ownContact(principal, of: placement.upn, store: store)
            // The messages sent to the parent: to their mobile or email as the school has them.
            let theirs = Set(
                [mine?.mobile, mine?.email?.lowercased(), principal.user.email.lowercased()].compactMap { $0 })
            messages = try await store.letters.deliveries(of: placement.upn).filter {
                $0.letterID == nil && theirs.contains($0.recipient.lowercased())
            }
            letters = try await store.letters.letters(of: placement.upn).filter { isAddressed($0, to: principal) }
        }
        // The school days a report may be for, by the pupil's school's calendar.
        var choices: [LocalDate] = []
        let today = request.context.today
        if let current = try await store.reference.requirePupil(placement.upn).enrolments.last(where: {
            $0.isCurrent(on: today)
        }
        ),
            let school = try await store.reference.school(current.school)
        {
            choices = AbsenceReportRules.choices(
                today: today, calendar: try await store.reference.calendar(for: school.school))
        }
        return .make(
            upn: placement.upn, reports: try await store.leave.absenceReports(of: placement.upn),
            requests: try await store.leave.leaveRequests(of: placement.upn),
            mayAsk: principal.allows(.requestForPupil, .pupil(placement)), today: request.context.today,
            letters: letters, messages: messages, mine: mine, notice: notice, error: error, codes: store.codes,
            choices: choices, typed: typed, language: request.language, names: try await request.names(),
            text: request.text)
    }

    /// Whether a kept letter was addressed to the signed-in parent: by their name as the school has it, or their
    /// email. A parent sees only these.
    static func isAddressed(_ letter: StoredLetter, to principal: Principal) -> Bool {
        letter.recipientNames.contains(principal.user.displayName)
            || letter.recipientEmail?.lowercased() == principal.user.email.lowercased()
    }

    /// The contact record that is the signed-in parent's own: by their email, or their name as the school has it.
    static func ownContact(_ principal: Principal, of upn: UPN, store: Store) async throws -> Contact? {
        try await store.contacts.contacts(of: upn).first {
            $0.email?.lowercased() == principal.user.email.lowercased() || $0.name == principal.user.displayName
        }
    }

    /// A parent keeps their own contact details up to date, for every child of theirs the school has them as a
    /// contact of. Checked field by field; nothing is kept unless all is well.
    @Sendable static func updateContact(_ request: Request) async throws -> Response {
        guard case .pupil(let placement) = request.target else { throw Abort(.notFound) }
        let principal = try request.signedIn
        guard request.pupilView(placement) == .parent,
            try await ownContact(principal, of: placement.upn, store: request.context.store) != nil
        else { throw Abort(.forbidden) }
        let details = try request.form(ContactDetailsForm.self).details
        if let field = details.problem {
            return try await PupilController.render(
                request,
                familyError: request.text("family.badContact", ["field": request.text("audit.field.\(field)")]),
                status: .unprocessableEntity)
        }
        let store = request.context.store
        for child in principal.grants.compactMap(\.child) {
            guard let contact = try await ownContact(principal, of: child, store: store) else { continue }
            try await store.contacts.updateContactDetails(
                details, of: child, priority: contact.priority, by: request.actor)
        }
        return Page.redirect(SiteURL.pupil(placement.upn, fragment: "family", query: ["contact": "1"]))
    }

    /// A parent's report of an absence: the day chosen from the school days offered, or another typed; a refusal
    /// says what was wrong with the day, at the top of the page, and keeps what the parent typed.
    @Sendable static func reportAbsence(_ request: Request) async throws -> Response {
        guard case .pupil(let placement) = request.target else { throw Abort(.notFound) }
        let typed = try request.form(PupilPage.Family.Typed.self)
        func refuse(_ message: String) async throws -> Response {
            try await PupilController.render(
                request, familyError: message, familyTyped: typed, status: .unprocessableEntity)
        }
        let from = LocalDate(entered: typed.otherDay.isEmpty ? typed.day : typed.otherDay)
        let to = typed.to.isEmpty ? from : LocalDate(entered: typed.to)
        guard let from, let to, let dates = DateRange(from, to),
            let part = AbsenceReport.Part(rawValue: typed.part),
            let reason = AbsenceReport.Reason(rawValue: typed.reason),
            let note = try? Fields.absenceNote.check(typed.noteAsSent)
        else { return try await refuse(request.text("error.badReport")) }
        do {
            _ = try await request.context.store.leave.reportAbsence(
                for: placement.upn, dates: dates, part: part, reason: reason,
                note: note, today: request.context.today, by: request.actor)
        } catch StoreError.reportDates(let problem) {
            let (key, day): (String, LocalDate) =
                switch problem {
                case .beforeToday(let day): ("error.report.beforeToday", day)
                case .tooFarAhead(let day): ("error.report.tooFarAhead", day)
                case .notSchoolDay(let day): ("error.report.notSchoolDay", day)
                }
            return try await refuse(
                request.text(key, ["day": FamilyWords.day(day, language: request.language, text: request.text)]))
        } catch StoreError.badReport {
            return try await refuse(request.text("error.badReport"))
        }
        return Page.redirect(SiteURL.pupil(placement.upn, fragment: "family", query: ["reported": "1"]))
    }

    @Sendable static func askPage(_ request: Request) async throws -> Response {
        try await renderAsk(request, typed: .init(), error: nil, status: .ok)
    }

    static func renderAsk(_ request: Request, typed: AskLeavePage.Typed, error: String?, status: HTTPStatus)
        async throws -> Response
    {
        guard case .pupil(let placement) = request.target else { throw Abort(.notFound) }
        let pupil = try await request.context.store.reference.requirePupil(placement.upn).pupil
        return try Page.render(
            AskLeavePage.make(
                pupil: pupil, limit: request.context.policy.holidayLimitSchoolDays, typed: typed, error: error,
                text: request.text), request: request, status: status)
    }

    @Sendable static func ask(_ request: Request) async throws -> Response {
        guard case .pupil(let placement) = request.target else { throw Abort(.notFound) }
        let typed = try request.form(AskLeavePage.Typed.self)
        func refuse(_ key: String) async throws -> Response {
            try await renderAsk(request, typed: typed, error: request.text(key), status: .unprocessableEntity)
        }
        // The last day may be left empty for a one-day request, as its label says.
        let lastDay = typed.to.trimmingCharacters(in: .whitespaces).isEmpty ? typed.from : typed.to
        guard let from = LocalDate(entered: typed.from), let to = LocalDate(entered: lastDay),
            let dates = DateRange(from, to)
        else { return try await refuse("error.leave.badRange") }
        let category = ExceptionalCategory(rawValue: typed.category)
        guard typed.category.isEmpty || category != nil else { return try await refuse("error.badRequest") }
        let reason: String
        let details: String
        let siblings: String
        do {
            reason = try Fields.leaveReason.check(typed.reason)
            details = try Fields.leaveDetails.check(typed.details)
            siblings = try Fields.leaveSiblings.check(typed.siblings)
        } catch {
            let (_, key, field) = PageErrorMiddleware.describe(error)
            return try await renderAsk(
                request, typed: typed, error: request.text(key) + (field.map { " (\($0))" } ?? ""),
                status: .unprocessableEntity)
        }
        do {
            _ = try await request.context.store.leave.requestLeave(
                for: placement.upn, dates: dates, reason: reason, category: category, details: details,
                siblings: siblings, today: request.context.today, by: request.actor)
        } catch StoreError.leave(let problem) {
            return try await refuse("error.leave.\(problem.key)")
        }
        return Page.redirect(SiteURL.pupil(placement.upn, fragment: "family", query: ["asked": "1"]))
    }

    /// A kept letter about the pupil, as it was sent: to a parent only if it was addressed to them; to staff as the
    /// school's letters page would show it (those who work its queue, and the authority).
    @Sendable static func letter(_ request: Request) async throws -> Response {
        guard case .pupil(let placement) = request.target,
            let id = request.parameters.get("id").flatMap({ Int($0) }),
            let letter = try await request.context.store.letters.letter(id: id), letter.upn == placement.upn
        else { throw Abort(.notFound) }
        let principal = try request.signedIn
        switch request.pupilView(placement) {
        case .full:
            guard
                principal.allows(.workActions, .school(letter.school)) || principal.allows(.viewAuthority, .none)
            else { throw Abort(.forbidden) }
        case .parent:
            guard isAddressed(letter, to: principal) else { throw Abort(.forbidden) }
        case .none, .formerSchools: throw Abort(.forbidden)
        }
        return Response.letterDocument(letter.html ?? "")
    }
}

/// A parent's own contact details as the form gives them: each empty field is nil, the language "both" unless
/// chosen; `ContactDetails.problem` judges them.
struct ContactDetailsForm: Form {
    let details: ContactDetails

    init(_ fields: FormFields) throws {
        func value(_ name: String) -> String? { fields.has(name) ? fields.raw(name) : nil }
        details = ContactDetails(
            phone: value("phone"), mobile: value("mobile"), email: value("email"), address: value("address"),
            language: LanguagePreference(rawValue: fields.sent("language") ?? "") ?? .both)
    }
}
