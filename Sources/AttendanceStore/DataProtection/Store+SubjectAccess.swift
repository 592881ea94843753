import AttendanceCore
import Foundation
import SQLKit

/// Data protection (UK GDPR): what the record holds about a person, for a subject access request.
public struct DataProtectionRepository: Sendable {
    let store: Store
}

extension Store {
    public var dataProtection: DataProtectionRepository { DataProtectionRepository(store: self) }
}

/// Everything the record holds about one pupil: each table's rows that name them, as text, and their marks read
/// into words (the year strings themselves are bytes no reader could use).
public struct SubjectAccessExport: Sendable {
    public struct Table: Sendable, Hashable {
        public let name: String
        public let columns: [String]
        public let rows: [[String]]
    }

    public let upn: UPN
    /// Tables in name order, each with at least one row.
    public let tables: [Table]
    /// Every mark, with who recorded it and when.
    public let marks: [RecordedMark]

    /// The tables whose rows are given as `marks` instead (one string a pupil a year).
    public static let readAsMarks: Set<String> = ["pupil_year_marks", "pupil_year_recordings"]
}

extension DataProtectionRepository {
    /// Every row of every table that names the pupil: tables with the pupil's id (`pupil_id`, or `id` in `pupils`)
    /// or UPN (`upn`, and the audit trail's lines whose subject names them), and the rows of tables that belong to
    /// one of those rows (a case's steps, a message's attempts) by a foreign key. Found by reading the schema, so a
    /// table added later is in the export without anyone remembering it.
    public func subjectAccess(_ upn: UPN) async throws -> SubjectAccessExport {
        let pupil = try await store.reference.requirePupil(upn)
        let sql = store.reader
        let schema = try await Self.schema(sql, postgres: store.location.isPostgres)
        var found: [String: SubjectAccessExport.Table] = [:]
        var idsByTable: [String: [Int]] = [:]
        for (table, columns) in schema.columns.sorted(by: { $0.key < $1.key })
        where !SubjectAccessExport.readAsMarks.contains(table) {
            var conditions: [SQLQueryString] = []
            if table == "pupils" { conditions.append("\(ident: "id") = \(bind: pupil.id)") }
            if columns.contains("pupil_id") { conditions.append("\(ident: "pupil_id") = \(bind: pupil.id)") }
            if columns.contains("upn") { conditions.append("\(ident: "upn") = \(bind: upn.value)") }
            if table == "audit_events" { conditions.append("\(ident: "subject") LIKE \(bind: "%" + upn.value + "%")") }
            guard !conditions.isEmpty else { continue }
            let rows = try await rows(sql, table: table, columns: columns, where: conditions)
            if let rows {
                found[table] = rows
                if let id = columns.firstIndex(of: "id") { idsByTable[table] = rows.rows.compactMap { Int($0[id]) } }
            }
        }
        // One step further: rows that belong to a row found (by a foreign key to it), in tables not already read.
        for (table, keys) in schema.foreignKeys.sorted(by: { $0.key < $1.key })
        where found[table] == nil && !SubjectAccessExport.readAsMarks.contains(table) {
            guard let columns = schema.columns[table] else { continue }
            var conditions: [SQLQueryString] = []
            for key in keys where key.parent != "pupils" && key.parent != "schools" {
                guard let ids = idsByTable[key.parent], !ids.isEmpty else { continue }
                conditions.append("\(ident: key.column) IN (\(binds: ids))")
            }
            guard !conditions.isEmpty else { continue }
            if let rows = try await rows(sql, table: table, columns: columns, where: conditions) { found[table] = rows }
        }
        // The marks of every school year the pupil was on a roll in, to the end of this one.
        var marks: [RecordedMark] = []
        let today = LocalDate.today()
        if let first = pupil.enrolments.map(\.onRollFrom).min(),
            let years = DateRange(first.academicYear.firstDay, max(today, first).academicYear.lastDay)
        {
            marks = try await store.registers.marks(of: upn, in: years)
        }
        return SubjectAccessExport(upn: upn, tables: found.values.sorted { $0.name < $1.name }, marks: marks)
    }

    /// The schema: each table's columns in order, and its foreign keys (column → parent table).
    static func schema(_ sql: any SQLDatabase, postgres: Bool) async throws
        -> (columns: [String: [String]], foreignKeys: [String: [(column: String, parent: String)]])
    {
        var columns: [String: [String]] = [:]
        var keys: [String: [(column: String, parent: String)]] = [:]
        if postgres {
            for row in try await sql.raw(
                """
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
                """
            ).all() {
                columns[try row.decode(column: "table_name", as: String.self), default: []].append(
                    try row.decode(column: "column_name", as: String.self))
            }
            for row in try await sql.raw(
                """
                SELECT c.conrelid::regclass::text AS child, a.attname AS col, c.confrelid::regclass::text AS parent
                FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
                WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
                """
            ).all() {
                keys[try row.decode(column: "child", as: String.self), default: []].append(
                    (try row.decode(column: "col", as: String.self), try row.decode(column: "parent", as: String.self)))
            }
        } else {
            let tables = try await sql.raw(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).all(decodingColumn: "name", as: String.self)
            for table in tables {
                columns[table] = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))")
                    .all(decodingColumn: "name", as: String.self)
                for row in try await sql.raw("SELECT \"from\", \"table\" FROM pragma_foreign_key_list(\(bind: table))")
                    .all()
                {
                    keys[table, default: []].append(
                        (
                            try row.decode(column: "from", as: String.self),
                            try row.decode(column: "table", as: String.self)
                        ))
                }
            }
        }
        return (columns, keys)
    }

    /// The table's rows meeting any of the conditions, every value as text; nil when there are none.
    private func rows(_ sql: any SQLDatabase, table: String, columns: [String], where conditions: [SQLQueryString])
        async throws -> SubjectAccessExport.Table?
    {
        var query: SQLQueryString = "SELECT * FROM \(ident: table) WHERE "
        for (index, condition) in conditions.enumerated() {
            if index > 0 { query.appendLiteral(" OR ") }
            query.appendInterpolation(condition)
        }
        let rows = try await sql.raw(query).all().map { row in columns.map { Self.text(row, $0) } }
        guard !rows.isEmpty else { return nil }
        return SubjectAccessExport.Table(name: table, columns: columns, rows: rows)
    }

    /// A value as text, whatever its type on either database ("" for none; bytes in base64).
    static func text(_ row: any SQLRow, _ column: String) -> String {
        if (try? row.decodeNil(column: column)) ?? true { return "" }
        if let text = try? row.decode(column: column, as: String.self) { return text }
        if let number = try? row.decode(column: column, as: Int.self) { return String(number) }
        if let real = try? row.decode(column: column, as: Double.self) { return "\(real)" }
        if let flag = try? row.decode(column: column, as: Bool.self) { return flag ? "true" : "false" }
        if let bytes = try? row.decode(column: column, as: Data.self) { return bytes.base64EncodedString() }
        return ""
    }
}
