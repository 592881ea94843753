import Foundation

/// Why a PDF could not be made.
public struct PDFProblem: Error, CustomStringConvertible {
    public let description: String
}

/// Turns letters (HTML with print CSS) into PDF with WeasyPrint, run as a separate process. Its Python
/// interpreter is found from the `weasyprint` command itself, so one process renders a whole batch.
public struct PDFMaker: Sendable {
    let python: [String]

    /// WeasyPrint on the PATH (or at `ATTENDANCE_WEASYPRINT`), or nil when it is not installed: letters are
    /// then produced as HTML only, and the page says why.
    public static func locate(environment: [String: String]) -> PDFMaker? {
        let candidates =
            (environment["ATTENDANCE_WEASYPRINT"].map { [$0] } ?? [])
            + (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/weasyprint" }
        for path in candidates where FileManager.default.isExecutableFile(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path),
                let firstLine = String(decoding: data.prefix(256), as: UTF8.self).split(separator: "\n").first,
                firstLine.hasPrefix("#!")
            else { continue }
            let words = firstLine.dropFirst(2).split(separator: " ").map(String.init)
            if !words.isEmpty { return PDFMaker(python: words) }
        }
        return nil
    }

    /// What `weasyprint-batch.py` reads: each document's HTML and PDF paths, and the combined PDF's (if any).
    struct Job: Encodable {
        let documents: [[String: String]]
        let combined: String?
        let combine: [Int]?
    }

    /// Each document as its own PDF and, when `combine` names any, those documents' pages as one PDF. While
    /// WeasyPrint works, `progress` hears how many of the documents' PDFs are made so far.
    public func render(
        _ documents: [String], combine: [Int] = [], progress: (@Sendable (Int) async -> Void)? = nil
    ) async throws -> (each: [Data], combined: Data?) {
        guard !documents.isEmpty else { return ([], nil) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "attendance-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var jobs: [[String: String]] = []
        for (index, html) in documents.enumerated() {
            let input = folder.appendingPathComponent("\(index).html")
            try Data(html.utf8).write(to: input)
            jobs.append(["html": input.path, "pdf": folder.appendingPathComponent("\(index).pdf").path])
        }
        let combinedPath = folder.appendingPathComponent("all.pdf").path
        let job = Job(
            documents: jobs, combined: combine.isEmpty ? nil : combinedPath, combine: combine.isEmpty ? nil : combine)
        let jobFile = folder.appendingPathComponent("job.json")
        try JSONEncoder().encode(job).write(to: jobFile)
        let script = LetterTemplates.resources.appendingPathComponent("weasyprint-batch.py").path
        let pdfs = jobs.compactMap { $0["pdf"] }
        let watcher = progress.map { report in
            Task {
                var last = -1
                while !Task.isCancelled {
                    let made = pdfs.filter { FileManager.default.fileExists(atPath: $0) }.count
                    if made != last {
                        last = made
                        await report(made)
                    }
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
        }
        defer { watcher?.cancel() }
        try await run(python + [script, jobFile.path], errors: folder.appendingPathComponent("errors.txt"))
        let each = try pdfs.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        return (each, combine.isEmpty ? nil : try Data(contentsOf: URL(fileURLWithPath: combinedPath)))
    }

    /// Runs the process with its warnings in a file (a pipe could fill and stall it).
    private func run(_ arguments: [String], errors: URL) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let errorFile = try FileHandle(forWritingTo: errors)
        defer { try? errorFile.close() }
        process.standardError = errorFile
        process.standardOutput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        guard status == 0 else {
            let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            let lastLine = message.split(separator: "\n").last.map(String.init) ?? "exit status \(status)"
            throw PDFProblem(description: "WeasyPrint could not make the PDF: \(lastLine)")
        }
    }
}
