import ArgumentParser
import AttendanceCore
import AttendanceStore
import Foundation
import Logging

/// `--database`, `--codes` and `--policy`: read with their environment variables into `Settings`.
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
}

/// Reads a date option, failing with the option's name.
func parseDate(_ text: String?, option: String) throws -> LocalDate? {
    guard let text else { return nil }
    guard let date = LocalDate(entered: text) else {
        throw ValidationError("\(option): '\(text)' is not a date in the form YYYY-MM-DD between 1990 and 2100")
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
