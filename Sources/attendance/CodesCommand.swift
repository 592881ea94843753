import ArgumentParser
import AttendanceCore
import Foundation

struct CodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "List the attendance codes in use.",
        discussion: """
            --format json prints the table in the form --codes (or ATTENDANCE_CODES) loads, so an authority can \
            start its own table from the shipped Welsh one.
            """)

    @Option(help: "text or json.") var format: ListFormat = .text
    @Option(help: ArgumentHelp("A code table in JSON to list instead of the default.", valueName: "file"))
    var codes: String?

    func run() throws {
        let table = try Settings(codes: codes).codes
        if format == .json {
            print(String(decoding: try table.json(), as: UTF8.self))
            return
        }
        print("Code table \(table.name):")
        for code in table.codes {
            let flags = [
                code.usableAtRegister ? "register" : nil, code.requiresAuthorisation ? "head authorises" : nil,
            ]
            .compactMap { $0 }.joined(separator: ", ")
            let padded = code.code.padding(toLength: 3, withPad: " ", startingAt: 0)
            print(
                "  \(padded) \(code.category.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(code.nameEn) / \(code.nameCy)\(flags.isEmpty ? "" : "  [\(flags)]")"
            )
        }
    }
}
