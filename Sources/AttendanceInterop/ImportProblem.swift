/// One thing wrong with an import file, named by its line (0 when it concerns the whole file).
public struct ImportProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}

/// Every problem found in a file. An import with any problem writes nothing.
public struct ImportProblems: Error, Sendable, CustomStringConvertible {
    public let problems: [ImportProblem]

    public init(_ problems: [ImportProblem]) { self.problems = problems.sorted { $0.line < $1.line } }

    public var description: String {
        let count = problems.count
        return "\(count) problem\(count == 1 ? "" : "s") found; nothing was imported:\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
