import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Foundation
import Vapor

/// A case's attendance panels: scheduling one with its invitation, whether the parents came, the outcome.
extension EswController {
    /// Schedules a panel and sends its invitation to the parents, each in their language.
    @Sendable static func schedulePanel(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let form: EswForms.SchedulePanel
        do { form = try request.form(EswForms.SchedulePanel.self) } catch let error as FormRefusal {
            return try await refuse(request, "panel.badForm", error)
        }
        // A panel is scheduled for today or later.
        guard form.sitting.on >= request.context.today else {
            return try await refuse(request, "panel.badForm", FormRefusal(WebError.badField("on", .missingOrInvalid)))
        }
        return try await step(request, back: (laestab, id)) {
            try await requireCase(request, id, at: laestab, newWork: true)
            let panel = try await request.context.store.esw.schedulePanel(
                case: id, sitting: form.sitting, members: form.members, by: request.actor)
            try await invite(request, .panelInvitation, to: panel, case: id)
        }
    }

    /// Whether the parents came; if not to a first panel, the second invitation goes with its own sitting.
    @Sendable static func panelAttendance(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        guard let panelID = request.parameters.get("panel", as: Int.self) else { throw Abort(.notFound) }
        let form: EswForms.PanelAttendanceForm
        do { form = try request.form(EswForms.PanelAttendanceForm.self) } catch let error as FormRefusal {
            return try await refuse(request, "error.badRequest", error)
        }
        // A second sitting is for today or later.
        let second = form.second.flatMap { $0.on >= request.context.today ? $0 : nil }
        return try await step(request, back: (laestab, id)) {
            let store = request.context.store
            guard try await store.esw.requireEswCase(id).school == laestab,
                try await store.esw.requirePanel(panelID).caseID == id
            else { throw Abort(.notFound) }
            if let next = try await store.esw.recordPanelAttendance(
                panelID, form.attendance, second: form.attendance.cameToPanel ? nil : second,
                today: request.context.today, by: request.actor)
            {
                try await invite(request, .panelSecondInvitation, to: next, case: id)
            }
        }
    }

    @Sendable static func panelOutcome(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        guard let panelID = request.parameters.get("panel", as: Int.self) else { throw Abort(.notFound) }
        let form: EswForms.PanelOutcome
        do { form = try request.form(EswForms.PanelOutcome.self) } catch let error as FormRefusal {
            return try await refuse(request, "error.badRequest", error)
        }
        return try await step(request, back: (laestab, id)) {
            let store = request.context.store
            guard try await store.esw.requireEswCase(id).school == laestab,
                try await store.esw.requirePanel(panelID).caseID == id
            else { throw Abort(.notFound) }
            try await store.esw.recordPanelOutcome(panelID, outcome: form.outcome, by: request.actor)
        }
    }

    /// A panel was recorded but its invitation could not be made (no contact to write to, the pupil has left).
    struct InvitationNotMade: Error {}

    /// The panel's invitation, kept as a letter to the parents in their language.
    static func invite(_ request: Request, _ kind: LetterKind, to panel: AttendancePanel, case id: EswCaseID)
        async throws
    {
        let found = try await request.context.store.esw.requireEswCase(id)
        do {
            _ = try await request.context.letters.produce(
                kind, for: found.upn, school: found.school,
                details: ["meeting_date": panel.on.iso, "meeting_time": panel.time, "meeting_place": panel.place],
                today: request.context.today, by: request.actor, signatory: try request.signedIn.user.displayName)
        } catch is LetterProblem {
            // The panel is recorded; only its letter could not be made, and the page says so.
            throw InvitationNotMade()
        }
        sendInBackground(request.context.letters, logger: request.logger)
    }
}
