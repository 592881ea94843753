import ArgumentParser
import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Foundation
import Logging
import NIOCore

/// Everything the program takes from its flags and its environment, read and checked once when a command
/// starts. This is the one place that reads the environment; a command is handed the values, never the
/// variables. Every problem is found before any is reported, so an operator fixes them all in one go.
struct Settings: Sendable {
    /// `--database`, else `DATABASE_URL`, else `attendance.sqlite` in the current folder.
    let database: DatabaseLocation
    /// `--codes`, else `ATTENDANCE_CODES`, else the Welsh 2010 set.
    let codes: CodeTable
    /// `--policy`, else `ATTENDANCE_POLICY`, else Wrexham 2025.
    let policy: Policy
    /// The shipped letter templates with `--letters` (else `ATTENDANCE_LETTERS`) over them, each checked.
    let letterTemplates: LetterTemplates
    /// `ATTENDANCE_SMTP_*`; nil keeps letters to post.
    let smtp: SMTPConfiguration?
    /// `ATTENDANCE_NOTIFY_*`; nil: no text messages.
    let notify: NotifyTextSender.Configuration?
    /// WeasyPrint from `ATTENDANCE_WEASYPRINT` or the `PATH`; nil: letters as HTML only.
    let pdf: PDFMaker?
    /// `--port`, else `PORT`, else 8080 (the server only).
    let port: Int
    /// Who a command acts as in the audit trail: the operating-system user running it.
    let actor: AuditActor
    /// `ATTENDANCE_BACKUP_KEY`: the key backups are encrypted with (base64 of 32 bytes); nil: no backups.
    let backupKey: BackupKey?
    /// `ATTENDANCE_TRUSTED_PROXIES`: the addresses of the proxies whose `X-Forwarded-For` is believed (the server).
    let trustedProxies: Set<String>
    /// `ATTENDANCE_METRICS_FROM`: the addresses `/metrics` answers (the monitoring system's); this machine's own
    /// by default.
    let metricsFrom: Set<String>
    /// `ATTENDANCE_LOG_FORMAT`: `text` (the default) or `json`, one object a line.
    let logFormat: LogFormat

    /// All the problems found, one a line.
    struct Problems: Error, CustomStringConvertible {
        let lines: [String]
        var description: String {
            lines.count == 1
                ? lines[0]
                : "The configuration has \(lines.count) problems:\n" + lines.map { "  - " + $0 }.joined(separator: "\n")
        }
    }

    /// From a command's options (`letters` only for the commands that take `--letters`).
    init(_ db: DatabaseOptions, letters: LetterOptions? = nil, port: Int? = nil) throws {
        try self.init(
            database: db.database, codes: db.codes, policy: db.policy, letters: letters?.folder, port: port,
            environment: ProcessInfo.processInfo.environment)
    }

    /// For a command that takes only `--codes`.
    init(codes: String?) throws {
        try self.init(
            database: nil, codes: codes, policy: nil, letters: nil, port: nil,
            environment: ProcessInfo.processInfo.environment)
    }

    /// From the values given on the command line (nil where not given) and the environment.
    init(
        database given: String?, codes codesFile: String?, policy policyFile: String?, letters folder: String?,
        port: Int?, environment: [String: String]
    ) throws {
        var problems: [String] = []
        /// The value, or nil with the problem noted under the label.
        func attempt<T>(_ label: String, _ read: () throws -> T) -> T? {
            do { return try read() } catch {
                problems.append("\(label): \(error)")
                return nil
            }
        }
        /// A file named by the option or else the variable, read with `parse`; nil when neither names one.
        func load<T>(_ variable: String, _ given: String?, _ parse: (Data) throws -> T) throws -> T? {
            guard let path = given ?? environment[variable] else { return nil }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Problems(lines: ["\(path) could not be read"])
            }
            do { return try parse(data) } catch { throw Problems(lines: ["\(path): \(error)"]) }
        }
        let codes = attempt("--codes") {
            try load("ATTENDANCE_CODES", codesFile) { try CodeTable(json: $0) } ?? .wales2010
        }
        let policy = attempt("--policy") {
            try load("ATTENDANCE_POLICY", policyFile) { try Policy(json: $0) } ?? .wrexham2025
        }
        let templates = attempt("--letters") {
            try LetterTemplates(directory: folder ?? environment["ATTENDANCE_LETTERS"])
        }
        let smtp = attempt("email") { try SMTPConfiguration.fromEnvironment(environment) }
        let notify = attempt("text messages") { try NotifyTextSender.Configuration.fromEnvironment(environment) }
        let port = attempt("--port") { () throws -> Int in
            if let port { return port }
            guard let text = environment["PORT"] else { return 8080 }
            guard let value = Int(text), (1...65535).contains(value) else {
                throw Problems(lines: ["PORT '\(text)' is not a port number"])
            }
            return value
        }
        let backupKey = attempt("ATTENDANCE_BACKUP_KEY") { () throws -> BackupKey? in
            guard let text = environment["ATTENDANCE_BACKUP_KEY"] else { return nil }
            guard let key = BackupKey(base64: text) else {
                throw Problems(lines: ["not 32 bytes in base64 (make one with: attendance backup --new-key)"])
            }
            return key
        }
        /// A list of IP addresses in a variable, each checked.
        func addresses(_ variable: String) -> Set<String>? {
            attempt(variable) { () throws -> Set<String> in
                let listed = (environment[variable] ?? "").split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let bad = listed.filter { (try? SocketAddress(ipAddress: $0, port: 0)) == nil }
                guard bad.isEmpty else {
                    throw Problems(lines: [
                        "\(bad.joined(separator: ", ")): not an IP address (list addresses, not names)"
                    ])
                }
                return Set(listed)
            }
        }
        let proxies = addresses("ATTENDANCE_TRUSTED_PROXIES")
        let metricsFrom =
            environment["ATTENDANCE_METRICS_FROM"] == nil ? ["127.0.0.1", "::1"] : addresses("ATTENDANCE_METRICS_FROM")
        let logFormat = attempt("ATTENDANCE_LOG_FORMAT") { () throws -> LogFormat in
            let text = environment["ATTENDANCE_LOG_FORMAT"] ?? "text"
            guard let format = LogFormat(rawValue: text) else {
                throw Problems(lines: ["'\(text)' is not text or json"])
            }
            return format
        }
        guard problems.isEmpty, let codes, let policy, let templates, let port, let proxies, let metricsFrom,
            let logFormat
        else {
            throw ValidationError(Problems(lines: problems).description)
        }
        database = DatabaseLocation(given ?? environment["DATABASE_URL"] ?? "attendance.sqlite")
        self.codes = codes
        self.policy = policy
        letterTemplates = templates
        self.smtp = smtp ?? nil
        self.notify = notify ?? nil
        pdf = PDFMaker.locate(environment: environment)
        self.port = port
        actor = AuditActor("cli:\(environment["USER"] ?? "unknown")")
        self.backupKey = backupKey ?? nil
        trustedProxies = proxies
        self.metricsFrom = metricsFrom
        self.logFormat = logFormat
    }

    /// Opens and migrates the store, runs `body`, and always shuts the store down. The store gives every figure
    /// with the bands and persistent-absence share of the policy in force.
    /// `beforeMigrating` has the store before it has touched the database (a restore fills it first).
    func withStore<T>(
        beforeMigrating: (Store) async throws -> Void = { _ in }, _ body: (Store) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "attendance")
        logger.logLevel = .warning
        let store = try Store(location: database, codes: codes, rules: policy.summaryRules, logger: logger)
        do {
            try await beforeMigrating(store)
            try await store.migrate()
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// The letter service over a store, with everything it may send through.
    func letterService(_ store: Store) -> LetterService {
        LetterService(
            store: store, templates: letterTemplates, pdf: pdf, smtp: smtp, texts: notify.map { NotifyTextSender($0) },
            policy: policy)
    }
}
