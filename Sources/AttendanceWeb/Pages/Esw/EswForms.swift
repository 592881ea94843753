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
            with = try fields.words("with", limit: 200, required: true)
            outcome = try fields.words("outcome", limit: 2000, required: true)
            nextStep = try fields.optionalWords("next_step", limit: 500)
            nextStepOn = try fields.optionalDate("next_step_on")
        }
    }

    struct Close: Form {
        let outcome: EswOutcome
        let reason: String

        init(_ fields: FormFields) throws {
            outcome = try fields.choice("outcome")
            reason = try fields.words("reason", limit: 1000)
        }
    }

    /// Handing a case back to the school, with a reason if there is one.
    struct GiveBack: Form {
        let reason: String
        init(_ fields: FormFields) throws { reason = try fields.words("reason", limit: 1000) }
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
            schoolActions = try fields.words("school_actions", limit: 2000, required: true)
            familyActions = try fields.words("family_actions", limit: 2000, required: true)
            pupilActions = try fields.words("pupil_actions", limit: 2000, required: true)
        }
    }

    struct ReviewPlan: Form {
        let week: Int
        let note: String

        init(_ fields: FormFields) throws {
            week = try fields.number("week", in: Int(Int32.min)...Int(Int32.max))
            note = try fields.words("note", limit: 2000)
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
            place: try fields.words(prefix + "place", limit: 200, required: true))
    }

    struct SchedulePanel: Form {
        let sitting: PanelSitting
        let members: String

        init(_ fields: FormFields) throws {
            sitting = try EswForms.sitting(fields)
            members = try fields.words("members", limit: 500, required: true)
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
        init(_ fields: FormFields) throws { outcome = try fields.words("outcome", limit: 2000) }
    }

    /// A school's referral by hand: its notes (needed) and the concerns it knows of.
    struct Refer: Form {
        let notes: String
        let concerns: String

        init(_ fields: FormFields) throws {
            notes = try fields.words("notes", limit: 2000, required: true)
            concerns = try fields.words("concerns", limit: 2000)
        }
    }
}

/// The forms about leaving the roll and children missing education.
enum RollForms {
    /// Taking a pupil off the roll: the day (up to four weeks ahead), the ground (the store judges it) and the
    /// school they go to, if known.
    struct TakeOff: Form {
        let day: LocalDate
        let ground: RemovalGround?
        let newSchool: LAESTAB?

        init(_ fields: FormFields) throws {
            day = try fields.date("day")
            ground = RemovalGround(rawValue: fields.raw("ground"))
            newSchool = try fields.optionalSchool("new_laestab")
        }
    }

    struct Refer: Form {
        let reason: String
        init(_ fields: FormFields) throws { reason = try fields.words("reason", limit: 2000, required: true) }
    }

    struct Enquiry: Form {
        let on: LocalDate
        let check: String
        let with: String
        let result: String

        init(_ fields: FormFields) throws {
            on = try fields.date("on")
            check = try fields.words("check", limit: 1000, required: true)
            with = try fields.words("with", limit: 1000, required: true)
            result = try fields.words("result", limit: 1000, required: true)
        }
    }

    struct Outcome: Form {
        let outcome: MissingEducationOutcome
        let school: LAESTAB?

        init(_ fields: FormFields) throws {
            outcome = try fields.choice("outcome")
            school = try fields.optionalSchool("laestab")
        }
    }
}

/// A Community Education Patrol's sighting as the patrol's form gives it.
struct PatrolForm: Form {
    let seenOn: LocalDate
    let seenAt: String
    let place: String
    let name: String
    let reason: String
    let takenTo: String
    let schoolGiven: String
    let school: LAESTAB?
    let accompanied: Bool

    init(_ fields: FormFields) throws {
        seenOn = try fields.date("seen_on")
        seenAt = fields.raw("seen_at")
        guard TimeOfDay(text: seenAt) != nil else { throw WebError.badField("seen_at", .missingOrInvalid) }
        place = try fields.words("place", limit: 500, required: true)
        name = try fields.words("name", limit: 500, required: true)
        reason = try fields.words("reason", limit: 500, required: true)
        takenTo = try fields.words("taken_to", limit: 500, required: true)
        schoolGiven = try fields.words("school_given", limit: 200)
        school = try fields.optionalSchool("school")
        accompanied = fields.raw("accompanied") == "yes"
    }
}

/// An ESW's visit to a school.
struct SchoolVisitForm: Form {
    let on: LocalDate
    let metWith: String
    let notes: String

    init(_ fields: FormFields) throws {
        on = try fields.date("on")
        metWith = try fields.words("met_with", limit: 200, required: true)
        notes = try fields.words("notes", limit: 4000)
    }
}
