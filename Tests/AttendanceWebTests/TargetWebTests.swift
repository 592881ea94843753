import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Attendance targets on the pages (issue 34, point 1): the head sets the school's, the school page shows every
/// figure against it, the Education Lead proposes one to every school that has none.
@Suite struct TargetWebTests {
    @Test func theHeadSetsTheTargetAndTheFiguresAreShownAgainstIt() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let before = try await head.get(SiteURL.school(mainSchool)).body.string
            #expect(before.contains("No attendance target has been set for 2026/27."))
            #expect(before.contains("id=\"set-target\"") && !before.contains("below target"))
            // Not a percentage: said in words, nothing written.
            let refused = try await head.post(SiteURL.school(.schoolTarget, mainSchool), ["target": "ninety"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("The target is a percentage with at most one decimal place"))
            #expect(try await store.targets.targets(for: testToday.academicYear).isEmpty)
            // A target no pupil reaches: every row of the figures is below it.
            let saved = try await head.post(SiteURL.school(.schoolTarget, mainSchool), ["target": "99.9"])
            #expect(saved.status == .seeOther)
            let page = try await head.get(SiteURL.school(mainSchool) + "?target=saved").body.string
            #expect(page.contains("The attendance target is set."))
            #expect(page.contains("Attendance target for 2026/27: 99.9%, set by Mair Hughes on "))
            #expect(page.contains("<strong class=\"below-target\">below target</strong>"))
            // The governors see the target and the figures against it, and no form.
            var governor = try await Browser.signedIn(app, as: .governor)
            let theirs = try await governor.get(SiteURL.school(mainSchool)).body.string
            #expect(theirs.contains("99.9%") && !theirs.contains("id=\"set-target\""))
            #expect(
                try await governor.post(SiteURL.school(.schoolTarget, mainSchool), ["target": "90"]).status
                    == .forbidden)
            // The lead proposes to the schools without a target; the head's stays.
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let home = try await lead.get("/").body.string
            #expect(home.contains("id=\"propose-targets\""))
            let proposed = try await lead.post(SiteURL.proposeTargets.path(), ["target": "95"])
            let schools = try await store.reference.schools().count
            #expect(proposed.headers.first(name: .location) == "/?proposed=\(schools - 1)")
            let after = try await lead.get("/?proposed=\(schools - 1)").body.string
            #expect(after.contains("The target was proposed to \(schools - 1) schools."))
            #expect(after.contains("99.9%") && after.contains("95.0% (proposed)"))
            let targets = try await store.targets.targets(for: testToday.academicYear)
            #expect(targets[mainSchool]?.tenths == 999 && targets[mainSchool]?.state == .set)
            #expect(!(try await head.get("/").body.string.contains("id=\"propose-targets\"")))
        }
    }
}

/// Home pages that say who needs you (issue 34, point 3): the lowest attendance first, the change since
/// half-term, the next action due; the school named when the list spans schools.
@Suite struct WhoNeedsYouTests {
    /// The attendance column's figures in the order the rows are.
    static func percents(_ page: String) -> [Double] {
        let html = Self.pupilsTable(page)
        let regex = try! NSRegularExpression(pattern: #"data-label="Attendance">([0-9.]+)%</td>"#)
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap {
            Range($0.range(at: 1), in: html).flatMap { Double(html[$0]) }
        }
    }

    /// The pupils' table of a home page (after the schools' table).
    static func pupilsTable(_ page: String) -> String {
        guard let start = page.range(of: "<table", options: .backwards) else { return "" }
        return String(page[start.lowerBound...])
    }

    @Test func theHeadOfYearSeesTheLowestFirstWithTheirNextActionAndTheEswSeesEachSchool() async throws {
        try await withWebApp { app, store in
            try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
            var hoy = try await Browser.signedIn(app, as: .headOfYear)
            let home = try await hoy.get("/").body.string
            let figures = Self.percents(home)
            #expect(figures.count > 10 && figures == figures.sorted())
            #expect(home.contains("Since half-term") && home.contains("Next action due"))
            #expect(home.contains("since half-term</span>") && home.contains(", due on "))
            #expect(!Self.pupilsTable(home).contains(">School</th>"))  // one school: not named on every row
            // A pupil with an action due has it on their row.
            let due = try #require(
                try await store.procedure.actions(school: mainSchool, year: testToday.academicYear).first {
                    ["7", "8"].contains($0.pupil.yearGroup)
                })
            #expect(home.contains(due.pupil.displayName))
            var esw = try await Browser.signedIn(app, as: .educationSocialWorker)
            let theirs = try await esw.get("/").body.string
            #expect(Self.pupilsTable(theirs).contains("<th scope=\"col\">School</th>"))
            #expect(Self.percents(theirs) == Self.percents(theirs).sorted())
            // A parent's page lists their child without the staff's columns.
            var parent = try await Browser.signedIn(app, as: .parent)
            #expect(!(try await parent.get("/").body.string.contains("Next action due")))
        }
    }
}

/// A form's classroom display (issue 34, point 4): last week's figure, the year's, the whole school's and the
/// target, in the reader's language, no pupil named.
@Suite struct ClassroomDisplayTests {
    @Test func aTutorOpensTheirFormsDisplayAndNoPupilIsNamed() async throws {
        try await withWebApp { app, store in
            try await store.targets.setTarget(
                mainSchool, for: testToday.academicYear, tenths: 950, by: AuditActor("head@demo.example"))
            let tutor = try #require(try await store.identity.user(email: "tutor@demo.example"))
            let group = try #require(tutor.grants.first?.registrationGroups.first)
            var browser = try await Browser.signedIn(app, as: .formTutor)
            let registers = try await browser.get(SiteURL.registers.path()).body.string
            #expect(registers.contains(SiteURL.classroomDisplay(mainSchool, group: group)))
            let page = try await browser.get(SiteURL.classroomDisplay(mainSchool, group: group)).body.string
            #expect(page.contains("\(group): our attendance"))
            // Last week is Monday 16 to Friday 20 November (testToday is Wednesday 25 November).
            #expect(page.contains("Last week: Monday 16 November 2026 to Friday 20 November 2026"))
            let week = DateRange(LocalDate(iso: "2026-11-16")!, LocalDate(iso: "2026-11-20")!)!
            let lines = try await store.registers.schoolReport(mainSchool, in: week)
            let form = lines.filter { $0.pupil.registrationGroup == group }.reduce(AttendanceSummary.empty()) {
                $0 + $1.summary
            }
            let school = lines.reduce(AttendanceSummary.empty()) { $0 + $1.summary }
            #expect(
                page.contains(
                    "<span class=\"figure-label\">Our form last week</span> <span class=\"figure-value\">\(form.attendancePercentText)</span>"
                ))
            #expect(
                page.contains(
                    "<span class=\"figure-label\">The whole school last week</span> <span class=\"figure-value\">\(school.attendancePercentText)</span>"
                ))
            #expect(
                page.contains(
                    "<span class=\"figure-label\">Our school&#39;s target</span> <span class=\"figure-value\">95.0%</span>"
                ))
            #expect(
                page.contains(form.attendanceTenths.map { $0 < 950 } == true ? "below our school" : "met our school"))
            for pupil in try await store.reference.onRoll(mainSchool, on: testToday)
            where pupil.registrationGroup == group {
                #expect(!page.contains(pupil.displayName) && !page.contains(pupil.upn.value))
            }
            browser.cookies["lang"] = "cy"
            let welsh = try await browser.get(SiteURL.classroomDisplay(mainSchool, group: group)).body.string
            #expect(welsh.contains("\(group): ein presenoldeb") && welsh.contains("Targed ein hysgol"))
        }
    }
}
