import AttendanceCore
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// The data check before any report (issue 34, point 10): it names exactly the problems planted in the record,
/// and the reports say its state and when it ran.
@Suite struct DataCheckWebTests {
    /// Sets one session of a pupil's year string (0 clears it), as a record written by another system might be.
    static func setSlot(_ store: Store, _ upn: UPN, _ session: SchoolSession, code: UInt8) async throws {
        let year = session.date.academicYear
        var marks = try await store.registers.yearMarks(of: upn, year: year)
        marks[session] = code
        let pupil = try await store.reference.requirePupil(upn)
        try await store.sql.update("pupil_year_marks").set("marks", to: Data(marks.bytes))
            .where("pupil_id", .equal, pupil.id).where("academic_year", .equal, year.startYear).run()
    }

    @Test(arguments: WebTestDatabase.available)
    func theCheckListsExactlyThePlantedProblems(database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            // The demo's record is whole: a first run finds nothing.
            #expect(try await head.post(SiteURL.school(.dataCheck, mainSchool), [:]).status == .seeOther)
            let clean = try await head.get(SiteURL.school(.dataCheck, mainSchool)).body.string
            #expect(clean.contains("The check found no problems.") && clean.contains("Data check: no problems found"))
            let school = try await store.reference.requireSchool(mainSchool)
            let calendar = try await store.reference.calendar(for: school.school)
            let roll = try await store.reference.onRoll(mainSchool, on: testToday).sorted { $0.upn < $1.upn }
            let (silent, gap, twice, leaver, ahead) = (roll[0], roll[1], roll[2], roll[3], roll[4])
            // No marks for the last five school days.
            var day = testToday
            var lastFive: [LocalDate] = []
            while lastFive.count < 5, let before = calendar.schoolDay(before: day) {
                lastFive.insert(before, at: 0)
                day = before
            }
            for date in lastFive {
                for half in SessionHalf.allCases {
                    try await Self.setSlot(store, silent.upn, SchoolSession(date, half), code: 0)
                }
            }
            // One session left unmarked a fortnight ago.
            let fortnight = try #require(calendar.schoolDay(before: testToday.adding(days: -14)))
            try await Self.setSlot(store, gap.upn, SchoolSession(fortnight, .pm), code: 0)
            // On a second school's roll from a week ago.
            let other = try #require(try await store.reference.schools().first { $0.school.laestab != mainSchool })
            let weekAgo = testToday.adding(days: -7)
            let twiceID = try await store.reference.requirePupil(twice.upn).id
            try await store.sql.insert(into: "enrolments").columns("pupil_id", "school_id", "on_roll_from")
                .values(SQLBind(twiceID), SQLBind(other.id), SQLBind(weekAgo.iso)).run()
            // A leaving reason without a leaving date.
            let leaverID = try await store.reference.requirePupil(leaver.upn).id
            try await store.sql.update("enrolments").set("leaving_reason", to: "moved away")
                .where("pupil_id", .equal, leaverID).where("school_id", .equal, school.id).run()
            try await store.sql.raw("UPDATE reference_version SET version = version + 1 WHERE id = 1").run()
            // A mark for a day next week.
            let nextWeek = try #require(calendar.schoolDay(after: testToday.adding(days: 6)))
            try await Self.setSlot(store, ahead.upn, SchoolSession(nextWeek, .am), code: store.codes["/"]!.id)

            let run = try await store.registers.checkData(
                mainSchool, today: testToday, noMarksSchoolDays: 5, by: AuditActor("head@test"))
            let found = Set(run.problems.map { "\($0.kind.rawValue) \($0.upn) \($0.from) \($0.count)" })
            #expect(
                found == [
                    "no_marks \(silent.upn) \(lastFive[0]) 5", "unmarked_sessions \(gap.upn) \(fortnight) 1",
                    "overlapping_enrolments \(twice.upn) \(weekAgo) 1",
                    "leaver_without_date \(leaver.upn) \(try #require(try await store.reference.requirePupil(leaver.upn).enrolments.first { $0.school == mainSchool }).onRollFrom) 1",
                    "future_marks \(ahead.upn) \(nextWeek) 1",
                ])
            // The page names each pupil under its problem; the reports say the state and when it ran.
            let page = try await head.get(SiteURL.school(.dataCheck, mainSchool)).body.string
            #expect(page.contains("Data check: 5 problems found"))
            for (id, pupil) in [
                ("no_marks", silent), ("unmarked_sessions", gap), ("overlapping_enrolments", twice),
                ("leaver_without_date", leaver), ("future_marks", ahead),
            ] {
                let section = try #require(page.range(of: "id=\"check-\(id)\""))
                #expect(page[section.upperBound...].prefix(2000).contains(pupil.displayName), "\(id)")
            }
            let report = try await head.get(SiteURL.school(mainSchool)).body.string
            #expect(report.contains("Data check: 5 problems found") && report.contains("See the data check"))
            var governor = try await Browser.signedIn(app, as: .governor)
            let theirs = try await governor.get(SiteURL.school(.groupAnalysis, mainSchool)).body.string
            #expect(theirs.contains("Data check: 5 problems found") && !theirs.contains("See the data check"))
            #expect(try await governor.get(SiteURL.school(.dataCheck, mainSchool)).status == .forbidden)
            // The authority's reports say each school's state: the main school's problems, the others not run.
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let checked = "5 problems (\(testToday.readable(.en)))"
            for path in [SiteURL.dashboard.path(), SiteURL.weeklyReturn.path()] {
                let html = try await lead.get(path).body.string
                #expect(html.contains("data-label=\"Data check\">\(checked)</td>"), "\(path)")
                #expect(html.components(separatedBy: "data-label=\"Data check\">Not run</td>").count == 3, "\(path)")
            }
        }
    }
}
