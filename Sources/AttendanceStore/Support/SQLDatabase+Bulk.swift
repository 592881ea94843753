import SQLKit

typealias SQLValue = any Encodable & Sendable

extension SQLDatabase {
    /// Inserts rows in multi-row statements, keeping each under the bind limits of both databases
    /// (SQLite 32,766, PostgreSQL 65,535).
    func insertRows(
        into table: String, columns: [String], rows: [[SQLValue]],
        conflict: ((SQLInsertBuilder) throws -> SQLInsertBuilder)? = nil
    ) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let end = min(start + perStatement, rows.count)
            var builder = insert(into: table).columns(columns)
            for row in rows[start..<end] { builder = builder.values(row) }
            if let conflict { builder = try conflict(builder) }
            try await builder.run()
            start = end
        }
    }
}

extension Array {
    /// Splits into pieces of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
