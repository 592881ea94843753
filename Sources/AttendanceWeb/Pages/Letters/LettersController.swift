import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Vapor

/// Producing letters (the day's batch from the queue, or one from a pupil's page), the kept copies, and
/// first-day messages.
enum LettersController {
    /// Whether the user may see a kept letter: they see the pupil's whole record, or the letter is their school's
    /// from when the pupil was on its roll.
    static func mayView(_ request: Request, _ letter: StoredLetter) async throws -> Bool {
        guard let stored = try await request.context.store.reference.pupil(letter.upn) else { return false }
        switch request.pupilView(stored.placement(on: request.context.today)) {
        case .full: return true
        case .formerSchools(let schools): return schools.contains(letter.school)
        case .parent, .none: return false
        }
    }

    /// The day's letters from the queue: only the actions the user may work (a head of year's years). They are
    /// made as a job (a batch can take a minute): the answer is at once, a page showing how far it has got, which
    /// becomes the batch when it is done.
    @Sendable static func produceDue(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let principal = try request.signedIn
        let context = request.context
        let id = try await context.store.jobs.startJob(JobPage.dueLetters, school: laestab, by: request.actor)
        let years = ActionsController.limitedYears(principal, laestab)
        let actor = request.actor
        let signatory = principal.user.displayName
        let logger = request.logger
        context.jobs.start(id, logger: logger) { progress in
            let batch = try await context.letters.produceDue(
                school: laestab, years: years, today: context.today, by: actor, signatory: signatory,
                progress: progress)
            sendInBackground(context.letters, logger: logger)
            return JobPage.result(batch)
        }
        return Page.redirect(SiteURL.school(.letterJob, laestab, id: id))
    }

    /// How far the day's letters have got; once made, the batch.
    @Sendable static func job(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: Int.self),
            let job = try await request.context.store.jobs.job(id, school: laestab), JobPage.kinds.contains(job.kind)
        else { throw Abort(.notFound) }
        if job.status == .done, let batch = job.result.flatMap(JobPage.batch(from:)) {
            return Page.redirect(
                SiteURL.letterBatch.path(
                    ["laestab": laestab.description, "batch": batch.id],
                    query: [
                        "needing": String(batch.needing), "skipped": String(batch.skipped),
                        "waiting": String(batch.waiting),
                    ]))
        }
        return try Page.render(JobPage.make(job, text: request.text), request: request)
    }

    @Sendable static func batch(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("batch") else {
            throw Abort(.notFound)
        }
        let store = request.context.store
        let school = try await store.reference.requireSchool(laestab)
        // A batch shows only the letters the reader could open one by one.
        let all = try await store.letters.letters(batch: id, school: laestab)
        var letters: [StoredLetter] = []
        for letter in all where try await mayView(request, letter) { letters.append(letter) }
        let whole = all.count == letters.count
        var deliveries: [Delivery] = []
        var names: [UPN: String] = [:]
        for upn in Set(letters.map(\.upn)) {
            deliveries += try await store.letters.deliveries(of: upn)
            names[upn] = try await store.reference.pupil(upn)?.pupil.displayName
        }
        let pdf = try await store.letters.batchPDF(id, school: laestab)
        let needing = request.query[Int.self, at: "needing"] ?? 0
        let skipped = request.query[Int.self, at: "skipped"] ?? 0
        let waiting = request.query[Int.self, at: "waiting"] ?? 0
        let page = LetterBatchPage.make(
            school: school.school.name, laestab: laestab,
            letters: LetterRow.rows(
                letters, deliveries: deliveries, names: names, people: try await request.names(),
                text: { request.text($0, $1) }),
            counts: (needing, skipped, waiting), posted: letters.filter { $0.channel == "post" }.count,
            emailed: letters.filter { $0.channel == "email" }.count,
            batchPDF: pdf != nil && whole ? SiteURL.letterBatch(laestab, batch: id, pdf: true) : nil,
            pdfMissing: request.context.letters.pdf == nil, text: { request.text($0, $1) })
        return try Page.render(page, request: request)
    }

    /// The batch's printed letters as one PDF: only to someone who could open every letter in the batch.
    @Sendable static func batchPDF(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("batch"),
            let pdf = try await request.context.store.letters.batchPDF(id, school: laestab)
        else { throw Abort(.notFound) }
        for letter in try await request.context.store.letters.letters(batch: id, school: laestab) {
            guard try await mayView(request, letter) else { throw Abort(.forbidden) }
        }
        return file(pdf, name: "letters-\(laestab)-\(id).pdf")
    }

    static func keptLetter(_ request: Request) async throws -> StoredLetter {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: Int.self),
            let letter = try await request.context.store.letters.letter(id: id), letter.school == laestab
        else { throw Abort(.notFound) }
        guard try await mayView(request, letter) else { throw Abort(.forbidden) }
        return letter
    }

    /// The kept copy, byte for byte; never rendered again.
    @Sendable static func letter(_ request: Request) async throws -> Response {
        Response.letterDocument(try await keptLetter(request).html ?? "")
    }

    @Sendable static func letterPDF(_ request: Request) async throws -> Response {
        let letter = try await keptLetter(request)
        guard let pdf = letter.pdf else { throw Abort(.notFound) }
        return file(pdf, name: "\(letter.kind.rawValue)-\(letter.upn.value)-\(letter.id).pdf")
    }

    static func file(_ data: Data, name: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "pdf")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// One letter for one pupil from their page: a certificate, a holiday decision, an invitation with its date.
    @Sendable static func produce(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target,
            let upn = request.parameters.get("upn").flatMap({ try? UPN($0) })
        else { throw Abort(.notFound) }
        guard let stored = try await request.context.store.reference.pupil(upn),
            stored.enrolments.contains(where: { $0.school == laestab })
        else { throw Abort(.notFound) }
        // Only a school the pupil is on the roll of writes to their parents, and only staff who see them whole.
        guard request.mayWorkOn(stored, at: laestab) else { throw Abort(.forbidden) }
        guard let kind = LetterKind(rawValue: (try? request.content.get(String.self, at: "kind")) ?? "") else {
            throw WebError.badField("kind", .missingOrInvalid)
        }
        // A penalty notice, a panel invitation or a penalty warning (the head's, on its flag's two steps) comes from
        // its own step, never from the pupil's page.
        guard kind.isByHand else { throw Abort(.forbidden) }
        var details: [String: String] = [:]
        for name in [
            "meeting_date", "meeting_time", "meeting_place", "holiday_from", "holiday_to", "holiday_decision",
            "holiday_reason", "resend_reason",
        ] {
            if let value = try? request.content.get(String.self, at: name), !value.isEmpty { details[name] = value }
        }
        // Letter 3 again in the same school year is the head's (or a delegate's) decision, with a reason.
        if details["resend_reason"] != nil, try !request.signedIn.allows(.authoriseAbsence, .school(laestab)) {
            throw Abort(.forbidden)
        }
        do {
            _ = try await request.context.letters.produce(
                kind, for: upn, school: laestab, details: details, today: request.context.today, by: request.actor,
                signatory: try request.signedIn.user.displayName)
        } catch LetterProblem.missingDetails {
            throw WebError.refused(.letterDetails)
        } catch LetterProblem.badDetail(let problem) {
            throw WebError.badField(problem.field, .letterDetail(problem))
        } catch LetterProblem.notOnRoll {
            throw Abort(.forbidden)
        } catch LetterProblem.notEarned {
            throw WebError.refused(.letterLacks(.notEarned))
        } catch LetterProblem.waitingForInvitation {
            throw WebError.refused(.letterLacks(.waitingForInvitation))
        } catch LetterProblem.recordLacks(_, let lack) {
            throw WebError.refused(.letterLacks(lack))
        } catch LetterProblem.noContact {
            throw WebError.refused(.noContact)
        }
        sendInBackground(request.context.letters, logger: request.logger)
        return Page.redirect(SiteURL.pupil(upn, fragment: "letters", query: ["produced": "1"]))
    }

    /// A refused detail in the reader's language, naming the field.
    static func detailText(_ request: Request, _ problem: LetterDetails.Problem) -> String {
        detailText({ request.text($0, $1) }, problem)
    }

    static func detailText(_ text: (String, [String: String]) -> String, _ problem: LetterDetails.Problem) -> String {
        text(
            "letterDetail.\(problem.reason.rawValue)",
            [
                "field": LetterDetails.Field(rawValue: problem.field).map { text(label($0), [:]) } ?? problem.field,
                "limit": String(LetterDetails.Field(rawValue: problem.field)?.limit ?? 0),
            ])
    }

    /// The form's label for a detail ("meeting_date" is labelled by "letters.meetingDate").
    static func label(_ field: LetterDetails.Field) -> String {
        let words = field.rawValue.split(separator: "_")
        return "letters." + words[0] + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// First-day messages for today's unexplained absences, sent at once (failures are retried).
    @Sendable static func firstDay(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let letters = request.context.letters
        guard letters.canSend else {
            return try await OfficeController.renderDay(
                request, notice: nil, error: request.text("messages.notSetUp"), status: .unprocessableEntity)
        }
        let queued = try await letters.queueFirstDayMessages(
            school: laestab, on: request.context.today, by: request.actor)
        let result = try await letters.sendDue()
        return try await OfficeController.renderDay(
            request,
            notice: request.text(
                "messages.firstDayDone",
                ["count": String(queued), "sent": String(result.sent), "failed": String(result.failed)]),
            error: nil, status: .ok)
    }
}
