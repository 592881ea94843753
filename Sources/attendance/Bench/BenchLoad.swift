import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation

/// A registration group as the HTTP clients save it.
struct BenchRegister: Sendable {
    let school: LAESTAB
    let group: String
    let upns: [String]
}

/// Generates the authority school by school and loads it: pupils and contacts through their imports (not
/// timed), marks through the import write path (timed: marks per second).
enum BenchLoad {
    static func load(_ authority: BenchAuthority, into store: Store, report: inout BenchReport) async throws
        -> [BenchRegister]
    {
        try await store.reference.saveLocalAuthority(laNumber: DemoAuthority.laNumber, name: DemoAuthority.laName)
        try await store.reference.importCalendar(
            authority.termDates.map { Numbered(line: 0, value: $0) }, scope: .authority(la: DemoAuthority.laNumber))
        var importMS = 0.0
        var marks = 0
        var pupils = 0
        var registers: [BenchRegister] = []
        let started = Date()
        let progress = Progress()
        for index in authority.plans.indices {
            let data = authority.school(index)
            let laestab = data.school.laestab
            try await store.reference.importSchools([Numbered(line: 0, value: data.school)])
            try await store.reference.importCalendar(
                data.insetDays.map { Numbered(line: 0, value: $0) }, scope: .school(laestab))
            try await store.reference.importPupils(data.pupils.map { Numbered(line: 0, value: $0) }, school: laestab)
            try await store.contacts.importContacts(data.contacts.map { Numbered(line: 0, value: $0) })
            let entries = data.marks.map { SchoolMark(school: laestab, mark: $0) }
            importMS += try await milliseconds {
                try await store.registers.writeMarks(entries, by: AuditActor("bench:import"), reason: nil)
            }
            marks += entries.count
            pupils += data.pupils.count
            let onRoll = data.pupils.filter { $0.onRollTo == nil }
            for (group, members) in Dictionary(grouping: onRoll, by: \.pupil.registrationGroup) {
                registers.append(BenchRegister(school: laestab, group: group, upns: members.map(\.pupil.upn.value)))
            }
            if index % 25 == 24 || index == authority.plans.count - 1 {
                progress.say("loaded \(index + 1) of \(authority.plans.count) schools, \(marks) marks")
            }
        }
        report.add("schools", Double(authority.plans.count), "")
        report.add("pupils", Double(pupils), "")
        report.add("marks imported", Double(marks), "")
        report.add("import: marks written", importMS / 1000, "s")
        report.add("import throughput", Double(marks) / importMS * 1000, "marks/s", atLeast: 1_000_000)
        report.add("load wall time (generate + import everything)", Date().timeIntervalSince(started), "s")
        return registers.sorted { ($0.school, $0.group) < ($1.school, $1.group) }
    }
}
