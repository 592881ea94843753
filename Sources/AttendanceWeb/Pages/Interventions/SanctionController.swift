import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Vapor

/// A school sanction for absence (the policy, "School Sanctions (Secondary)"): recorded only when the record
/// allows it (`SanctionRule`: a secondary pupil, unauthorised absence the record shows was truancy, after an
/// earlier intervention without improvement), once a pupil a day, with the notice to the parents in their
/// language made each time. Refused with the reason otherwise.
enum SanctionController {
    struct SanctionForm: Form {
        let on: LocalDate
        let time: String
        let place: String
        let notes: String

        init(_ fields: FormFields) throws {
            on = try fields.date("on")
            time = try fields.words("time", limit: 40, required: true)
            place = try fields.words("place", limit: 120, required: true)
            notes = try fields.words("notes", limit: Intervention.notesLimit)
        }

        static let labels = [
            "on": "sanction.on", "time": "sanction.time", "place": "sanction.place", "notes": "interventions.notes",
        ]
    }

    @Sendable static func record(_ request: Request) async throws -> Response {
        let (laestab, upn) = try await request.pupilOnSchoolRoll()
        let store = request.context.store
        let today = request.context.today
        guard let stored = try await store.reference.pupil(upn), request.mayWorkOn(stored, at: laestab) else {
            throw Abort(.forbidden)
        }
        let form = try request.form(SanctionForm.self)
        // A detention is set for today or a school day soon, never in the past.
        guard form.on >= today, form.on <= today.adding(days: 31) else {
            throw WebError.badField("on", .longerThan(days: 31), label: SanctionForm.labels["on"])
        }
        let school = try await store.reference.requireSchool(laestab).school
        let evidence = try await store.interventions.sanctionEvidence(upn, school: laestab, today: today)
        do {
            try SanctionRule.check(phase: school.phase, yearGroup: stored.pupil.yearGroup, evidence: evidence)
        } catch { throw StoreError.sanction(error) }
        let details = ["meeting_date": form.on.iso, "meeting_time": form.time, "meeting_place": form.place]
        let signatory = try request.signedIn.user.displayName
        // The notice must be possible before the sanction is kept: the parents are told each time.
        do {
            _ = try await request.context.letters.draft(
                .sanctionNotice, for: upn, school: laestab, details: details, today: today, signatory: signatory)
        } catch LetterProblem.noContact {
            throw WebError.refused(.noContact)
        }
        let draft: Intervention.Draft
        let me = try request.signedIn.user.email
        do {
            draft = try Intervention.Draft(
                kind: .sanction, title: "", leader: me, pupils: [upn], start: form.on, end: form.on,
                notes: form.notes, today: today)
        } catch { throw StoreError.intervention(error) }
        try await store.interventions.start(draft, school: laestab, today: today, by: request.actor)
        _ = try await request.context.letters.produce(
            .sanctionNotice, for: upn, school: laestab, details: details, today: today, by: request.actor,
            signatory: signatory)
        sendInBackground(request.context.letters, logger: request.logger)
        return Page.redirect(SiteURL.pupil(upn, fragment: "interventions", query: ["sanctioned": "1"]))
    }
}
