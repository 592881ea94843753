import Foundation

/// Progress lines for long commands: shown on a terminal, silent when output goes to a file or a pipe.
struct Progress: Sendable {
    let enabled: Bool

    init() { enabled = isatty(STDERR_FILENO) != 0 }

    func say(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
}

/// Writes an error to standard error (never a stack trace).
func printError(_ message: String) {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}
