import AttendanceCore
import AttendanceInterop
import SQLKit

/// Whose calendar lines these are: the local authority's (term dates) or one school's (its INSET days).
public enum CalendarScope: Sendable, Hashable, CustomStringConvertible {
    case authority(la: Int)
    case school(LAESTAB)

    var key: String {
        switch self {
        case .authority(let la): return "LA\(la)"
        case .school(let laestab): return laestab.description
        }
    }

    public var description: String {
        switch self {
        case .authority(let la): return "local authority \(la)"
        case .school(let laestab): return "school \(laestab)"
        }
    }
}

extension ReferenceRepository {
    /// Imports calendar lines for a scope, all or nothing; a line already there (same kind and dates) keeps
    /// one row with the new name.
    @discardableResult
    public func importCalendar(
        _ rows: [Numbered<CalendarEntry>], scope: CalendarScope, by actor: AuditActor = AuditActor("import"),
        source: String? = nil
    ) async throws -> Int {
        defer { store.referenceCache.clear() }
        return try await store.transaction { db in
            try await Store.referenceChanged(on: db)
            for row in rows {
                let entry = row.value
                try await db.insert(into: "calendar_entries")
                    .columns("scope", "kind", "start_date", "end_date", "name")
                    .values(scope.key, entry.kind.rawValue, entry.range.start.iso, entry.range.end.iso, entry.name)
                    .onConflict(with: ["scope", "kind", "start_date", "end_date"]) {
                        $0.set(excludedValueOf: "name")
                    }
                    .run()
            }
            var school: LAESTAB? = nil
            if case .school(let laestab) = scope { school = laestab }
            try await Store.audit(
                [
                    AuditEvent(
                        actor: actor, action: "calendar.imported", school: school, subject: source,
                        after: auditJSON(["scope": scope.key, "lines": String(rows.count)]))
                ], on: db)
            return rows.count
        }
    }

    /// A school's calendar: its authority's lines and its own.
    public func calendar(for school: School) async throws -> SchoolCalendar {
        let held = try await store.referenceData()
        if let calendar = held.calendars[school.laestab] { return calendar }
        let calendar = try await readCalendar(for: school)
        store.referenceCache.keep(calendar, for: school.laestab, version: held.version)
        return calendar
    }

    private func readCalendar(for school: School) async throws -> SchoolCalendar {
        let rows = try await store.reader.select().columns("kind", "start_date", "end_date", "name").from(
            "calendar_entries"
        )
        .where(
            "scope", .in,
            [CalendarScope.authority(la: school.laNumber).key, CalendarScope.school(school.laestab).key]
        )
        .orderBy("start_date").all()
        return SchoolCalendar(
            entries: try rows.map { row in
                let kindText = try row.decode(column: "kind", as: String.self)
                guard let kind = CalendarEntryKind(rawValue: kindText),
                    let start = LocalDate(iso: try row.decode(column: "start_date", as: String.self)),
                    let end = LocalDate(iso: try row.decode(column: "end_date", as: String.self)),
                    let range = DateRange(start, end)
                else { throw StoreError.corrupt("an invalid calendar line") }
                return CalendarEntry(kind: kind, range: range, name: try row.decode(column: "name", as: String.self))
            })
    }
}
