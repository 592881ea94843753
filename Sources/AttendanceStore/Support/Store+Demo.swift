import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit

/// The demo authority's loader: it goes through the same import paths as real files (`store.demo`).
public struct DemoLoader: Sendable {
    let store: Store
}

extension Store {
    public var demo: DemoLoader { DemoLoader(store: self) }
}

extension DemoLoader {
    /// True when no school has been loaded yet.
    public func isEmpty() async throws -> Bool {
        try await store.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("schools")
            .first(decodingColumn: "n", as: Int.self) == 0
    }

    /// Loads the demo authority through the same import paths as real files. `progress` is told each
    /// school as it finishes.
    public func load(_ demo: DemoAuthority, progress: (String) -> Void = { _ in }) async throws {
        try await store.reference.saveLocalAuthority(laNumber: DemoAuthority.laNumber, name: DemoAuthority.laName)
        try await store.reference.importCalendar(
            demo.termDates.map { Numbered(line: 0, value: $0) }, scope: .authority(la: DemoAuthority.laNumber))
        try await store.reference.importSchools(demo.schools.map { Numbered(line: 0, value: $0.school) })
        for data in demo.schools {
            let laestab = data.school.laestab
            try await store.reference.importCalendar(
                data.insetDays.map { Numbered(line: 0, value: $0) }, scope: .school(laestab))
            try await store.reference.importPupils(data.pupils.map { Numbered(line: 0, value: $0) }, school: laestab)
            try await store.contacts.importContacts(data.contacts.map { Numbered(line: 0, value: $0) })
            let stored = try await store.reference.requireSchool(laestab)
            let ids = try await ReferenceRepository.pupilIDs(for: data.pupils.map(\.pupil.upn), on: store.sql)
            func entry(_ mark: Mark) -> MarkEntry? {
                ids[mark.upn].map { MarkEntry(pupilID: $0, schoolID: stored.id, mark: mark) }
            }
            // Registers are recorded by the form tutor at the time of the session.
            try await store.registers.writeMarks(
                data.marks.compactMap(entry), by: AuditActor("demo:form-tutor"), reason: nil)
            let byReason = Dictionary(grouping: data.corrections, by: \.reason)
            for (reason, corrections) in byReason.sorted(by: { $0.key < $1.key }) {
                try await store.registers.writeMarks(
                    corrections.compactMap { entry($0.mark) }, by: AuditActor("demo:attendance-office"), reason: reason)
            }
            try await nurtureGroup(data, on: demo.options.until)
            try await lessons(data, demo: demo)
            progress("\(data.school.name) (\(laestab)): \(data.pupils.count) pupils, \(data.marks.count) marks")
        }
    }

    /// A secondary school's timetable and its last days' lesson registers (`DemoTimetable`).
    func lessons(_ data: DemoAuthority.SchoolData, demo: DemoAuthority) async throws {
        let calendar = SchoolCalendar(entries: demo.termDates + data.insetDays)
        guard
            let timetable = DemoTimetable(data, until: demo.options.until, calendar: calendar, seed: demo.options.seed)
        else { return }
        let laestab = data.school.laestab
        try await store.lessons.importTimetable(
            timetable.lessons.map { Numbered(line: 0, value: $0) },
            classes: timetable.classes.map { Numbered(line: 0, value: $0) }, school: laestab, cycle: timetable.cycle,
            by: AuditActor("demo:attendance-office"), source: "demo")
        // The demo's teachers have no accounts (the teacher's role is not built yet): one name records them all.
        for register in timetable.registers {
            try await store.lessons.saveLessonRegister(
                school: laestab, on: register.day, className: register.className, period: register.period,
                marks: register.marks, by: AuditActor("demo:teacher"), reason: nil)
        }
    }

    /// The name of the group of its own each demo school has made (a nurture group; the demo schools are Welsh).
    public static let groupName = "Grŵp Meithrin"

    /// A group of the school's own, as a head would make one: six of the youngest year group on roll.
    func nurtureGroup(_ data: DemoAuthority.SchoolData, on day: LocalDate) async throws {
        let laestab = data.school.laestab
        let onRoll = try await store.reference.onRoll(laestab, on: day)
        guard let youngest = onRoll.map(\.yearGroup).min(by: NaturalOrder.precedes) else { return }
        let chosen = Set(onRoll.filter { $0.yearGroup == youngest }.map(\.upn).sorted().prefix(6))
        let actor = AuditActor("demo:head-teacher")
        try await store.groups.makeGroup(laestab, name: Self.groupName, by: actor)
        try await store.groups.setMembers(
            laestab, group: Self.groupName, shown: chosen, members: chosen, today: day, by: actor)
    }
}
