import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceWeb

/// The web edge's refusals are typed: each has its status and its sentence in both catalogues, a refused field is
/// named with why in the reader's language, and no controller writes a reason of its own.
@Suite struct WebErrorTests {
    let strings = try! Strings(directory: WebServer.resources.appendingPathComponent("strings"))

    @Test(arguments: Language.allCases)
    func everyRefusalHasItsSentence(language: Language) {
        for refusal in WebError.Refusal.all {
            #expect(strings.keys(language).contains(refusal.key), "\(language): \(refusal.key)")
            let (status, sentence) = PageErrorMiddleware.sentence(WebError.refused(refusal)) {
                strings($0, language, $1)
            }
            #expect(status == refusal.status && !sentence.contains("error."), "\(refusal)")
        }
    }

    @Test(arguments: Language.allCases)
    func aRefusedFieldIsNamedWithWhyInTheReadersLanguage(language: Language) {
        let problem = LetterDetails.Problem(field: "meeting_date", reason: .notADate)
        let whys: [WebError.Why] = [
            .notADate("31/02"), .future, .unknownCode("Q"), .backwards, .longerThan(days: 100),
            .notOneOf(["whole", "morning"]), .notRecognised("12"), .missingOrInvalid, .letterDetail(problem),
        ]
        for why in whys {
            let (status, sentence) = PageErrorMiddleware.sentence(WebError.badField("to", why)) {
                strings($0, language, $1)
            }
            #expect(status == .unprocessableEntity)
            #expect(sentence.hasPrefix(strings("error.badRequest", language)) && sentence.contains("(to"), "\(why)")
            // Every word from the catalogue: no key and no unfilled placeholder reaches the reader.
            #expect(
                sentence.range(of: #"\b[a-z]+\.[a-zA-Z_]+\b|\{[a-z]+\}"#, options: .regularExpression) == nil,
                "\(sentence)")
        }
        let labelled = PageErrorMiddleware.sentence(WebError.badField("to", .backwards, label: "evidence.to")) {
            strings($0, language, $1)
        }
        #expect(labelled.1.contains(strings("evidence.to", language)))
        #expect(
            PageErrorMiddleware.sentence(WebError.missingField("upn")) { strings($0, language, $1) }.0 == .badRequest)
        // A query's range that ends before it starts is the address's fault: 400, as the API documents.
        let query = PageErrorMiddleware.sentence(WebError.badQuery("to", .backwards)) { strings($0, language, $1) }
        #expect(query.0 == .badRequest && query.1.contains("(to: " + strings("error.endsBeforeStart", language)))
        #expect(
            PageErrorMiddleware.sentence(WebError.missingTemplate("x")) { strings($0, language, $1) }
                == (.internalServerError, strings("error.server", language)))
    }

    /// The web sources throw no `Abort` with a reason: a status alone, or a `WebError`.
    @Test func noControllerWritesAReasonOfItsOwn() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/AttendanceWeb")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var found: [String] = []
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("Abort(") && (line.contains("reason:") || !line.contains(")")) {
                found.append("\(file.lastPathComponent):\(number + 1)")
            }
        }
        #expect(found == [])
    }
}
