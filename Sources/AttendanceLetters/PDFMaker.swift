import AttendanceStore
import Foundation

/// Why a PDF could not be made.
public struct PDFProblem: Error, CustomStringConvertible {
    public let description: String
}

/// Turns letters (HTML with print CSS) into PDF with WeasyPrint, run as separate processes. Its Python
/// interpreter is found from the `weasyprint` command itself, so one process renders many letters; a batch is
/// shared among as many processes as the machine has cores, and their printed piles are joined by poppler's
/// `pdfunite` (when it is installed; else one process renders the batch).
public struct PDFMaker: Sendable {
    let python: [String]
    /// poppler's `pdfunite`, which joins PDFs page for page.
    let pdfunite: String?
    /// How many WeasyPrint processes a batch may use at once.
    let processes: Int

    /// WeasyPrint on the PATH (or at `ATTENDANCE_WEASYPRINT`), or nil when it is not installed: letters are
    /// then produced as HTML only, and the page says why.
    public static func locate(environment: [String: String]) -> PDFMaker? {
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        let candidates = (environment["ATTENDANCE_WEASYPRINT"].map { [$0] } ?? []) + folders.map { "\($0)/weasyprint" }
        let pdfunite = folders.map { "\($0)/pdfunite" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        for path in candidates where FileManager.default.isExecutableFile(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path),
                let firstLine = String(decoding: data.prefix(256), as: UTF8.self).split(separator: "\n").first,
                firstLine.hasPrefix("#!")
            else { continue }
            let words = firstLine.dropFirst(2).split(separator: " ").map(String.init)
            if !words.isEmpty {
                return PDFMaker(
                    python: words, pdfunite: pdfunite,
                    processes: pdfunite == nil ? 1 : max(1, ProcessInfo.processInfo.activeProcessorCount))
            }
        }
        return nil
    }

    /// What `weasyprint-batch.py` reads: each document's HTML and PDF paths, and the combined PDF's (if any).
    struct Job: Encodable {
        let documents: [[String: String]]
        let combined: String?
        let combine: [Int]?
    }

    /// Each document as its own PDF and, when `combine` names any, those documents' pages as one PDF, in the
    /// order given. While WeasyPrint works, `progress` hears how many of the documents' PDFs are made so far.
    public func render(
        _ documents: [String], combine: [Int] = [], progress: (@Sendable (Int) async -> Void)? = nil
    ) async throws -> (each: [Data], combined: Data?) {
        guard !documents.isEmpty else { return ([], nil) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "attendance-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, html) in documents.enumerated() {
            try Data(html.utf8).write(to: folder.appendingPathComponent("\(index).html"))
        }
        let pdfs = documents.indices.map { folder.appendingPathComponent("\($0).pdf").path }
        // A part is a run of documents in one process; the combined pile is joined from the parts' piles, so each
        // part's share of `combine` must be a run of it (it is, when the parts follow `combine`'s order).
        let parts = Self.parts(count: documents.count, combine: combine, processes: processes)
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
        let script = LetterTemplates.resources.appendingPathComponent("weasyprint-batch.py").path
        var piles: [String] = []
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (number, part) in parts.enumerated() {
                let printed = part.combine.compactMap { part.documents.firstIndex(of: $0) }
                let pile = folder.appendingPathComponent("pile-\(number).pdf").path
                if !printed.isEmpty { piles.append(pile) }
                let job = Job(
                    documents: part.documents.map {
                        ["html": folder.appendingPathComponent("\($0).html").path, "pdf": pdfs[$0]]
                    },
                    combined: printed.isEmpty ? nil : pile, combine: printed.isEmpty ? nil : printed)
                let jobFile = folder.appendingPathComponent("job-\(number).json")
                try JSONEncoder().encode(job).write(to: jobFile)
                group.addTask { try await run(python + [script, jobFile.path]) }
            }
            try await group.waitForAll()
        }
        let each = try pdfs.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        guard !combine.isEmpty, let first = piles.first else { return (each, nil) }
        // More than one pile only when pdfunite was found.
        guard piles.count > 1, let pdfunite else { return (each, try Data(contentsOf: URL(fileURLWithPath: first))) }
        let combined = folder.appendingPathComponent("all.pdf").path
        try await run([pdfunite] + piles + [combined], tool: "pdfunite")
        return (each, try Data(contentsOf: URL(fileURLWithPath: combined)))
    }

    /// The documents shared into runs, one a process, each with the part of `combine` it prints. When `combine`
    /// does not go in the documents' order, one process takes them all (its pile is laid out whole).
    static func parts(count: Int, combine: [Int], processes: Int) -> [(documents: [Int], combine: [Int])] {
        // Below four letters a process, starting another costs more than it saves.
        let wanted = min(processes, max(1, count / 4))
        guard wanted > 1, combine == combine.sorted() else { return [(Array(0..<count), combine)] }
        let size = (count + wanted - 1) / wanted
        return stride(from: 0, to: count, by: size).map { start in
            let range = start..<min(count, start + size)
            return (Array(range), combine.filter { range.contains($0) })
        }
    }

    /// Runs the process to its end; a failure is told in its own last words.
    private func run(_ arguments: [String], tool: String = "WeasyPrint") async throws {
        let finished: ChildProcess.Finished
        do {
            finished = try await ChildProcess.capture(arguments)
        } catch {
            throw PDFProblem(description: "\(tool) could not make the PDF: \(error)")
        }
        guard finished.status == 0 else {
            let lastLine = finished.lastErrorLine ?? "exit status \(finished.status)"
            throw PDFProblem(description: "\(tool) could not make the PDF: \(lastLine)")
        }
    }
}
