import ArgumentParser
import AttendanceCore
import AttendanceStore
import Foundation
import Logging

/// `--database`, falling back to `DATABASE_URL`, then to `attendance.sqlite` in the current folder.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "An SQLite file path or a postgres:// URL.",
            discussion: "Defaults to $DATABASE_URL, then attendance.sqlite.",
            valueName: "path|url"))
    var database: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A code table in JSON (see README); defaults to $ATTENDANCE_CODES, then the Welsh 2010 set.",
            valueName: "file"))
    var codes: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "An attendance policy file (JSON); defaults to $ATTENDANCE_POLICY, then the shipped wrexham-2025.",
            valueName: "file"))
    var policy: String?

    var location: DatabaseLocation {
        DatabaseLocation(database ?? ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "attendance.sqlite")
    }

    /// Opens and migrates the store, runs `body`, and always shuts the store down. The store gives every figure
    /// with the bands and persistent-absence share of the policy in force.
    func withStore<T>(_ body: (Store) async throws -> T) async throws -> T {
        var logger = Logger(label: "attendance")
        logger.logLevel = .warning
        let store = try Store(
            location: location, codes: try codeTable(), rules: try loadPolicy().summaryRules, logger: logger)
        do {
            try await store.migrate()
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

extension DatabaseOptions {
    /// The policy in force: a file when one is named (a bad one refused naming the field), else Wrexham 2025.
    func loadPolicy() throws -> Policy {
        guard let path = policy ?? ProcessInfo.processInfo.environment["ATTENDANCE_POLICY"] else { return .wrexham2025 }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("--policy: \(path) could not be read")
        }
        do { return try Policy(json: data) } catch { throw ValidationError("--policy: \(path): \(error)") }
    }

    /// The code table to use: a file when one is named, else the shipped Welsh set.
    func codeTable() throws -> CodeTable {
        guard let path = codes ?? ProcessInfo.processInfo.environment["ATTENDANCE_CODES"] else { return .wales2010 }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("--codes: \(path) could not be read")
        }
        do {
            return try CodeTable(json: data)
        } catch {
            throw ValidationError("--codes: \(path): \(error)")
        }
    }
}

/// Reads a date option, failing with the option's name.
func parseDate(_ text: String?, option: String) throws -> LocalDate? {
    guard let text else { return nil }
    guard let date = LocalDate(iso: text) else {
        throw ValidationError("\(option): '\(text)' is not a date in the form YYYY-MM-DD")
    }
    return date
}

func parseSchool(_ text: String?) throws -> LAESTAB? {
    guard let text else { return nil }
    guard let laestab = LAESTAB(text: text) else {
        throw ValidationError(
            "--school: '\(text)' is not a LAESTAB (3-digit LA number and 4-digit establishment number)")
    }
    return laestab
}

/// Today in the school's own terms (the machine's local date).
func today() -> LocalDate { LocalDate.today() }

/// Who a command acts as in the audit trail: the operating-system user running it.
var commandActor: Actor { Actor("cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")") }
