import AttendanceCore
import AttendanceStore
import Vapor

/// The same-day check (issue 38): pupils registered on site this morning or afternoon and missing from a lesson of
/// that session, two lessons in a row first, with the lessons and their teachers; the office and heads of year (for
/// their years' pupils) record what they found. Where a pupil left site, the afternoon's session mark is shown as
/// due, to be taken on the register by its usual rules: the lesson never writes it.
enum SameDayController {
    typealias Text = (String, [String: String]) -> String

    @Sendable static func page(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let principal = try request.signedIn
        let store = request.context.store
        let text: Text = { request.text($0, $1) }
        let date = try request.queryDate("date") ?? request.context.today
        let school = try await store.reference.requireSchool(laestab).school
        let names = try await request.names()
        let records = Dictionary(grouping: try await store.lessons.sameDayRecords(school: laestab, on: date), by: \.upn)
        var rows: [SameDayPage.Row] = []
        for concern in try await store.lessons.sameDayCheck(school: laestab, on: date) {
            // A head of year sees their years' pupils; the office every pupil of the school.
            guard let stored = try await store.reference.pupil(concern.upn),
                principal.allows(.viewPupil, .pupil(stored.placement(on: request.context.today)))
            else { continue }
            let pupil = stored.pupil
            let found = records[concern.upn] ?? []
            let leftSite = found.contains { $0.outcome == .leftSite }
            let group = GroupPlacement(
                school: laestab, group: pupil.registrationGroup, yearGroups: [pupil.yearGroup])
            rows.append(
                SameDayPage.Row(
                    upn: pupil.upn.value, name: pupil.displayName, href: SiteURL.pupil(pupil.upn),
                    form: pupil.registrationGroup, inARow: concern.inARow ? text("sameDay.inARow", [:]) : nil,
                    sessions: SessionHalf.allCases.map { half in
                        text(
                            "sameDay.session",
                            [
                                "session": text("session.\(half.rawValue)", [:]),
                                "code": concern.sessionCodes[half] ?? text("sameDay.noMark", [:]),
                            ])
                    }.joined(separator: " · "),
                    missed: concern.missed.map { lesson in
                        text(
                            "sameDay.missedLesson",
                            [
                                "period": String(lesson.period), "subject": lesson.subject,
                                "class": lesson.className, "start": lesson.start.description,
                                "teacher": names[lesson.teacher] ?? lesson.teacher,
                            ])
                    },
                    found: found.map { record in
                        text(
                            "sameDay.foundLine",
                            [
                                "outcome": text("sameDay.outcome.\(record.outcome.rawValue)", [:]),
                                "by": RecordWords.actor(record.recordedBy, names: names, text: text),
                                "when": DateText.moment(record.recordedAt, text),
                            ]) + (record.note.map { " – \($0)" } ?? "")
                    },
                    afternoonDue: leftSite && concern.sessionCodes[.pm] == nil
                        ? text("sameDay.afternoonDue", [:]) : nil,
                    registerHref: leftSite && concern.sessionCodes[.pm] == nil
                        && principal.allows(.takeRegister, .registrationGroup(group))
                        ? SiteURL.register(laestab, group: pupil.registrationGroup, date: date, half: .pm) : nil,
                    action: SiteURL.school(.sameDayCheck, laestab)))
        }
        let page = SameDayPage(
            title: text("sameDay.title", ["school": school.name, "date": DateText.day(date, text)]), date: date.iso,
            filterAction: SiteURL.school(.sameDayCheck, laestab),
            notice: request.query[String.self, at: "recorded"] != nil ? text("sameDay.recorded", [:]) : nil,
            rows: rows,
            outcomes: SameDayOutcome.allCases.map {
                SameDayPage.Outcome(value: $0.rawValue, label: text("sameDay.outcome.\($0.rawValue)", [:]))
            })
        return try Page.render(page, request: request)
    }

    /// Records what was found about a pupil of the day's check.
    @Sendable static func record(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let principal = try request.signedIn
        let form = try request.form(SameDayForm.self)
        let store = request.context.store
        // Only a pupil this person may see, on the roll of this school.
        guard let stored = try await store.reference.pupil(form.upn),
            stored.placement(on: request.context.today).currentSchools.contains(laestab),
            principal.allows(.viewPupil, .pupil(stored.placement(on: request.context.today)))
        else { throw Abort(.notFound) }
        guard form.date <= request.context.today else { throw WebError.refused(.fromAfterToday) }
        try await store.lessons.recordSameDay(
            form.outcome, upn: form.upn, school: laestab, on: form.date, note: form.note, by: request.actor)
        return Page.redirect(
            SiteURL.school(.sameDayCheck, laestab, query: ["date": form.date.iso, "recorded": form.upn.value]))
    }

    struct SameDayForm: Form {
        let upn: UPN
        let date: LocalDate
        let outcome: SameDayOutcome
        let note: String

        init(_ fields: FormFields) throws {
            upn = try fields.pupil("upn")
            date = try fields.date("date")
            outcome = try fields.choice("outcome")
            note = try fields.words("note", limit: 500)
        }

        static let labels = ["outcome": "sameDay.outcomeLabel", "note": "sameDay.note"]
    }
}

struct SameDayPage: PageModel {
    static let template = "same-day"

    struct Row: Sendable {
        let upn: String
        let name: String
        let href: String
        let form: String
        let inARow: String?
        let sessions: String
        let missed: [String]
        let found: [String]
        let afternoonDue: String?
        let registerHref: String?
        let action: String
    }

    struct Outcome: Sendable {
        let value: String
        let label: String
    }

    let title: String
    let date: String
    let filterAction: String
    let notice: String?
    let rows: [SameDayPage.Row]
    let outcomes: [Outcome]
}
