import ArgumentParser
import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation

/// Exports the year's marks as CSV (one row a mark: pupil, code id, code) and has DuckDB compute the same
/// per-pupil summary from them, timed in the same run; the totals of both must agree.
enum BenchDuckDB {
    static let script = #"""
        import json, sys, time
        import duckdb
        folder = sys.argv[1]
        con = duckdb.connect()
        con.execute(f"CREATE TABLE codes AS SELECT * FROM read_csv('{folder}/codes.csv', header=true, "
                    "columns={'id': 'UTINYINT', 'code': 'VARCHAR', 'class': 'VARCHAR'})")
        con.execute(f"CREATE TABLE marks_int AS SELECT pupil, code_id FROM read_csv('{folder}/marks.csv', header=true, "
                    "columns={'pupil': 'INTEGER', 'code_id': 'UTINYINT', 'code': 'VARCHAR'})")
        con.execute(f"CREATE TABLE marks_text AS SELECT pupil, code FROM read_csv('{folder}/marks.csv', header=true, "
                    "columns={'pupil': 'INTEGER', 'code_id': 'UTINYINT', 'code': 'VARCHAR'})")
        summary = """SELECT m.pupil,
            count(*) FILTER (WHERE c.class IN ('attended', 'authorised', 'unauthorised')) AS possible,
            count(*) FILTER (WHERE c.class = 'attended') AS attended,
            count(*) FILTER (WHERE c.class = 'authorised') AS authorised,
            count(*) FILTER (WHERE c.class = 'unauthorised') AS unauthorised
            FROM {marks} m JOIN codes c ON c.{key} = m.{column} GROUP BY m.pupil"""
        queries = {"int": summary.format(marks="marks_int", key="id", column="code_id"),
                   "text": summary.format(marks="marks_text", key="code", column="code")}
        result = {"rows": con.execute("SELECT count(*) FROM marks_int").fetchone()[0], "threads":
                  con.execute("SELECT current_setting('threads')").fetchone()[0]}
        for name, query in queries.items():
            best = float("inf")
            for _ in range(5):
                start = time.perf_counter()
                con.execute(f"SELECT count(*), sum(possible), sum(attended), sum(authorised), sum(unauthorised) FROM ({query})").fetchone()
                best = min(best, (time.perf_counter() - start) * 1000)
            result[name + "_ms"] = best
        totals = con.execute(f"SELECT count(*), sum(possible), sum(attended), sum(authorised), sum(unauthorised) FROM ({queries['int']})").fetchone()
        result["totals"] = [int(x or 0) for x in totals]
        print(json.dumps(result))
        """#

    static func compare(store: Store, python: String, folder: URL, report: inout BenchReport) async throws {
        let codes = store.codes
        // Our totals from the one summary implementation, over the same strings, read and written a page at a time.
        var ours = [0, 0, 0, 0, 0]
        var csv = try MarksCSV(codes: codes, folder: folder)
        var exportMS = 0.0
        var last = Int.min
        while true {
            let page = try await store.bench.yearMarkStrings(year: BenchAuthority.year, after: last, limit: 20_000)
            guard let end = page.last?.pupilID else { break }
            last = end
            for (_, marks) in page {
                let summary = YearMarks.summary(
                    of: marks, year: BenchAuthority.year, in: BenchAuthority.year.range, table: codes)
                guard summary.possible + summary.notCounted > 0 else { continue }
                ours[0] += 1
                ours[1] += summary.possible
                ours[2] += summary.attended
                ours[3] += summary.authorised
                ours[4] += summary.unauthorised
            }
            exportMS += try await milliseconds { try csv.append(page.lazy.map(\.marks)) }
        }
        exportMS += try await milliseconds { try csv.finish() }
        report.add("export for DuckDB (CSV)", exportMS, "ms")
        let scriptFile = folder.appendingPathComponent("duckdb_summary.py")
        try Data(script.utf8).write(to: scriptFile)
        let output: String
        do {
            output = try ChildProcess.output([python, scriptFile.path, folder.path])
        } catch {
            report.notes.append("DuckDB did not run (\(error)); install it with `pip install duckdb`.")
            return
        }
        guard let data = output.split(separator: "\n").last.map({ Data($0.utf8) }),
            let result = try? JSONDecoder().decode(DuckDBAnswer.self, from: data)
        else {
            report.notes.append("DuckDB's answer could not be read: \(output.prefix(300))")
            return
        }
        let intMS = result.intMS, totals = result.totals
        report.add("DuckDB per-pupil summary, integer codes", intMS, "ms")
        report.add("DuckDB per-pupil summary, text codes", result.textMS, "ms")
        report.add("ratio: procedure run / DuckDB (integer)", report.procedureMS / intMS, "×", atMost: 1.0)
        report.add("ratio: every pupil's summary / DuckDB (integer)", report.summariesMS / intMS, "×", atMost: 1.0)
        let same = totals == ours
        report.notes.append(
            "DuckDB (\(result.threads ?? "?") threads) and the summary implementation "
                + (same ? "agree" : "DISAGREE") + " on pupils, possible, attended, authorised, unauthorised: "
                + "ours \(ours), DuckDB \(totals).")
        if !same { throw ValidationError("DuckDB and the summary implementation disagree: \(ours) vs \(totals)") }
    }
}

/// The last line the DuckDB script prints.
private struct DuckDBAnswer: Decodable {
    let intMS: Double
    let textMS: Double
    let totals: [Int]
    /// DuckDB's own setting, as it reports it.
    let threads: String?

    enum CodingKeys: String, CodingKey {
        case totals, threads
        case intMS = "int_ms"
        case textMS = "text_ms"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        intMS = try container.decode(Double.self, forKey: .intMS)
        textMS = try container.decode(Double.self, forKey: .textMS)
        totals = try container.decode([Int].self, forKey: .totals)
        // `current_setting('threads')` is a number in some DuckDB versions and text in others.
        threads =
            (try? container.decode(String.self, forKey: .threads))
            ?? (try? container.decode(Int.self, forKey: .threads)).map(String.init)
    }
}
