import AttendanceCore
import Foundation
import Testing

@testable import AttendanceStore
@testable import AttendanceWeb

/// The leave pages' models: what the head is shown to weigh, what the decision form offers, and the parent's form
/// keeping what was typed.
extension PageModelTests {
    static func leave(_ dates: DateRange, status: LeaveRequest.Status = .pending, category: ExceptionalCategory? = nil)
        -> LeaveRequest
    {
        LeaveRequest(
            id: 7, upn: ann.upn, school: LAESTAB(la: 665, estab: 4001), dates: dates, reason: "A wedding",
            exceptionalCategory: category, details: "The invitation", siblings: "Ben, 7B",
            requestedBy: "parent@example.org", requestedAt: "2026-11-20T10:00:00Z", status: status, decision: nil)
    }

    @Test(arguments: Language.allCases)
    func theHeadSeesWhatToWeighBesideEachRequest(language: Language) async throws {
        let may = DateRange(LocalDate(iso: "2027-05-10")!, LocalDate(iso: "2027-06-25")!)!
        var year11 = Self.ann
        year11.yearGroup = "11"
        let summary = AttendanceSummary(codes: ["/", "/", "/", "N"].compactMap { CodeTable.wales2010[$0] })
        let page = LeaveQueuePage.make(
            school: LAESTAB(la: 665, estab: 4001),
            waiting: [
                .init(
                    request: Self.leave(may, category: .familyOccasion), pupil: year11, schoolDays: 33,
                    agreedThisYear: 4, attendance: summary, siblings: [])
            ], decided: [], limit: 10, notice: nil, error: nil, names: [:],
            text: { strings($0, language, $1) })
        let item = try #require(page.waiting.first)
        let facts = Dictionary(uniqueKeysWithValues: item.facts.map { ($0.label, $0.value) })
        #expect(facts[strings("leave.schoolDays", language)] == "33")
        #expect(
            facts[strings("leave.agreedThisYear", language)]
                == strings("leave.ofLimit", language, ["days": "4", "limit": "10"]))
        #expect(facts[strings("leave.attendance", language)]?.hasPrefix("75.0%") == true)
        #expect(facts[strings("leave.category", language)] == strings("leave.category.family_occasion", language))
        // Exams for a Year 11 in May and June, more than four weeks, and past the limit: each said.
        #expect(
            item.flags == [
                strings("leave.season.exam_period", language, ["year": "11"]), strings("leave.extended", language),
                strings("leave.overLimit", language, ["limit": "10"]),
            ])
        #expect(item.extended && item.categories.first { $0.selected }?.value == "family_occasion")
        let html = try await render(page)
        // An extended request is never agreed: the head is offered removal, not "agree".
        #expect(html.contains("value=\"off_roll\"") && !html.contains("value=\"agreed\""))
        let short = LeaveQueuePage.make(
            school: LAESTAB(la: 665, estab: 4001),
            waiting: [
                .init(
                    request: Self.leave(DateRange(LocalDate(iso: "2026-12-01")!, LocalDate(iso: "2026-12-02")!)!),
                    pupil: Self.ann, schoolDays: 2, agreedThisYear: 0, attendance: summary, siblings: [])
            ], decided: [], limit: 10, notice: nil, error: nil, names: [:],
            text: { strings($0, language, $1) })
        #expect(short.waiting[0].flags.isEmpty)
        let shortHTML = try await render(short)
        #expect(!shortHTML.contains("off_roll") && shortHTML.contains("value=\"agreed\""))
    }

    @Test func theParentsFormKeepsWhatWasTypedAfterARefusal() async throws {
        let typed = AskLeavePage.Typed(
            from: "2026-12-01", to: "2026-11-30", reason: "A wedding", category: "compassionate",
            details: "A letter", siblings: "Ben")
        let page = AskLeavePage.make(
            pupil: Self.ann, limit: 10, typed: typed, error: "Check the dates", text: { strings($0, .en, $1) })
        #expect(page.categories.filter(\.selected).map(\.value) == ["compassionate"])
        let html = try await render(page)
        for kept in [
            "value=\"2026-12-01\"", "value=\"2026-11-30\"", ">A wedding</textarea>", ">A letter</textarea>",
            "value=\"Ben\"", "role=\"alert\"",
        ] {
            #expect(html.contains(kept), "\(kept)")
        }
    }
}
