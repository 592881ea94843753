import AttendanceCore
import AttendanceStore

/// The ESW case page's forms, each read and checked field by field (`FormFields`).
enum EswForms {
    /// An entry in the case's log: a visit, a call, a meeting.
    struct Entry: Form {
        let kind: EswEntryKind
        let on: LocalDate
        let with: String
        let outcome: String
        let nextStep: String?
        let nextStepOn: LocalDate?

        init(_ fields: FormFields) throws {
            kind = try fields.choice("kind")
            on = try fields.date("on")
            with = try fields.text("with", limit: 200, required: true)
            outcome = try fields.text("outcome", limit: 2000, required: true)
            nextStep = try fields.optionalText("next_step", limit: 500)
            nextStepOn = try fields.optionalDate("next_step_on")
        }
    }

    struct Close: Form {
        let outcome: EswOutcome
        let reason: String

        init(_ fields: FormFields) throws {
            outcome = try fields.choice("outcome")
            reason = try fields.text("reason", limit: 1000)
        }
    }

    /// Handing a case back to the school, with a reason if there is one.
    struct GiveBack: Form {
        let reason: String
        init(_ fields: FormFields) throws { reason = try fields.text("reason", limit: 1000) }
    }

    struct StartPlan: Form {
        let start: LocalDate
        let target: Int
        let schoolActions: String
        let familyActions: String
        let pupilActions: String

        init(_ fields: FormFields) throws {
            start = try fields.date("start")
            // The plan's rules judge the target (`EswRules`); the form only reads a number.
            target = try fields.number("target", in: Int(Int32.min)...Int(Int32.max))
            schoolActions = try fields.text("school_actions", limit: 2000, required: true)
            familyActions = try fields.text("family_actions", limit: 2000, required: true)
            pupilActions = try fields.text("pupil_actions", limit: 2000, required: true)
        }
    }

    struct ReviewPlan: Form {
        let week: Int
        let note: String

        init(_ fields: FormFields) throws {
            week = try fields.number("week", in: Int(Int32.min)...Int(Int32.max))
            note = try fields.text("note", limit: 2000)
        }
    }

    struct EndPlan: Form {
        let outcome: PlanOutcome
        let next: PlanNextStep

        init(_ fields: FormFields) throws {
            outcome = try fields.choice("outcome")
            next = try fields.choice("next")
        }
    }

    /// A panel's day, time and place, read from fields named with a prefix ("second_on" for a second sitting).
    static func sitting(_ fields: FormFields, prefix: String = "") throws -> PanelSitting {
        let time = fields.raw(prefix + "time")
        guard TimeOfDay(text: time) != nil else { throw WebError.badField(prefix + "time", .missingOrInvalid) }
        return PanelSitting(
            on: try fields.date(prefix + "on"), time: time,
            place: try fields.text(prefix + "place", limit: 200, required: true))
    }

    struct SchedulePanel: Form {
        let sitting: PanelSitting
        let members: String

        init(_ fields: FormFields) throws {
            sitting = try EswForms.sitting(fields)
            members = try fields.text("members", limit: 500, required: true)
        }
    }

    /// Whether the parents came, and for a first panel they missed the second's sitting (nil when the form gives
    /// none that can be read: the store says whether one was needed).
    struct PanelAttendanceForm: Form {
        let attendance: PanelAttendance
        let second: PanelSitting?

        init(_ fields: FormFields) throws {
            attendance = try fields.choice("attendance")
            second = try? EswForms.sitting(fields, prefix: "second_")
        }
    }

    struct PanelOutcome: Form {
        let outcome: String
        init(_ fields: FormFields) throws { outcome = try fields.text("outcome", limit: 2000) }
    }

    /// A school's referral by hand: its notes (needed) and the concerns it knows of.
    struct Refer: Form {
        let notes: String
        let concerns: String

        init(_ fields: FormFields) throws {
            notes = try fields.text("notes", limit: 2000, required: true)
            concerns = try fields.text("concerns", limit: 2000)
        }
    }
}
