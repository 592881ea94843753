import AttendanceCore
import Foundation
import Testing

@testable import AttendanceInterop

/// Inputs that once crashed a parser under `scripts/fuzz`, kept in `Fuzz/Regressions/TARGET/`: each is now read or
/// refused with a problem naming its place.
@Suite struct FuzzRegressionTests {
    static func inputs(_ target: String) -> [URL] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/Regressions/\(target)").standardizedFileURL
        return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .sorted { $0.path < $1.path }
    }

    /// An element name that is not UTF-8 made Foundation's XML parser trap (the server with it, on an upload).
    @Test func aCTFThatIsNotUTF8IsRefusedNamingItsLine() throws {
        let inputs = Self.inputs("FuzzCTF")
        #expect(inputs.contains { $0.lastPathComponent == "element-name-not-utf8.xml" })
        for input in inputs {
            #expect(throws: CTFReader.Problem.self) { try CTFReader.read(try Data(contentsOf: input)) }
        }
        let second = Data("<CTfile>\n<Header>\n<\u{00F5}".utf8.map { $0 == 0xC3 ? 0xF5 : $0 })
        #expect(throws: CTFReader.Problem(place: "line 3", why: .notXML("not UTF-8 text"))) {
            try CTFReader.read(second)
        }
    }

    /// A processing instruction without data (`<?x?>`) made Foundation's XML parser read a null pointer: the
    /// command crashed, and so would the server on an upload.
    @Test func aCTFWithAProcessingInstructionIsRefusedNamingItsLine() throws {
        #expect(Self.inputs("FuzzCTF").contains { $0.lastPathComponent == "processing-instruction-without-data.xml" })
        #expect(throws: CTFReader.Problem(place: "line 2", why: .notXML("a processing instruction"))) {
            try CTFReader.read(Data("<?xml version=\"1.0\"?>\n<CTfile><?x?></CTfile>".utf8))
        }
        // The XML declaration itself, after a byte order mark, is still read.
        let file = try Data(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../fixtures/ctf/hand-written.xml").standardizedFileURL)
        #expect(try CTFReader.read(Data([0xEF, 0xBB, 0xBF]) + file).file.pupils.count == 2)
    }

    /// "0000000/" was read as LA 0, establishment 0, and printed as "00000": a LAESTAB now prints as the seven digits
    /// it was read from.
    @Test func aLAESTABReadsBackAsItself() throws {
        let inputs = Self.inputs("FuzzDates")
        #expect(inputs.contains { $0.lastPathComponent == "laestab-leading-zeros.txt" })
        for input in inputs {
            let text = String(decoding: try Data(contentsOf: input), as: UTF8.self)
            if let laestab = LAESTAB(text: text) { #expect(LAESTAB(text: laestab.description) == laestab) }
        }
        #expect(LAESTAB(text: "0121234")?.description == "0121234")
        #expect(LAESTAB(text: "665/4001")?.description == "6654001")
    }
}
