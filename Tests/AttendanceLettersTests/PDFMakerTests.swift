import Foundation
import Testing

@testable import AttendanceLetters

/// Issue 39: a batch is shared among one WeasyPrint process a core, and the printed pile joined from their piles.
@Suite struct PDFMakerTests {
    @Test func aBatchIsSharedInRunsAndEachRunPrintsItsOwnPartOfThePile() {
        let parts = PDFMaker.parts(count: 9, combine: [0, 2, 3, 8], processes: 2)
        #expect(parts.map(\.documents) == [[0, 1, 2, 3, 4], [5, 6, 7, 8]])
        #expect(parts.map(\.combine) == [[0, 2, 3], [8]])
        // Few letters, one process, or a pile not in the documents' order: one process lays out the whole pile.
        #expect(PDFMaker.parts(count: 7, combine: [], processes: 2).count == 1)
        #expect(PDFMaker.parts(count: 9, combine: [0], processes: 1).count == 1)
        #expect(PDFMaker.parts(count: 9, combine: [8, 0], processes: 2).map(\.combine) == [[8, 0]])
    }

    /// A renderer that fails is reported in its own last words, or by its status when it says nothing.
    @Test func aFailingRendererSaysWhyInItsOwnWords() async throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("fails-\(UUID().uuidString).sh")
        try Data("echo 'a warning' >&2\necho 'no fonts to print with' >&2\nexit 2\n".utf8).write(to: script)
        defer { try? FileManager.default.removeItem(at: script) }
        func problem(_ maker: PDFMaker) async -> String? {
            do {
                _ = try await maker.render(["<p>Annwyl</p>"])
                return nil
            } catch {
                return (error as? PDFProblem)?.description
            }
        }
        #expect(
            await problem(PDFMaker(python: ["/bin/sh", script.path], pdfunite: nil, processes: 1))
                == "WeasyPrint could not make the PDF: no fonts to print with")
        #expect(
            await problem(PDFMaker(python: ["/bin/false"], pdfunite: nil, processes: 1))
                == "WeasyPrint could not make the PDF: exit status 1")
    }

    /// Each letter its own PDF, and the pile the printed letters' pages in order, whichever process made them.
    @Test(needsPDF) func thePileIsThePrintedLettersInOrderAcrossProcesses() async throws {
        let maker = try #require(installedPDFMaker)
        let documents = (0..<9).map { "<html lang=\"cy\"><body><p>Llythyr rhif \($0) – ŵ ŷ</p></body></html>" }
        let made = try await maker.render(documents, combine: [0, 2, 3, 8])
        #expect(made.each.count == 9)
        for (index, pdf) in made.each.enumerated() {
            #expect(try pdfText(pdf).contains("Llythyr rhif \(index) – ŵ ŷ"))
        }
        let pile = try pdfText(try #require(made.combined))
        let order = [0, 2, 3, 8].map { pile.range(of: "Llythyr rhif \($0)")?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        #expect(!pile.contains("Llythyr rhif 1") && !pile.contains("Llythyr rhif 5"))
        #expect(
            pile.components(separatedBy: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
                == 4)
    }
}
