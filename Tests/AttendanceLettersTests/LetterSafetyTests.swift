import AttendanceCore
import Foundation
import Testing

@testable import AttendanceLetters
@testable import AttendanceStore

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP listener on a free loopback port that only counts who knocks: a letter must never call out.
final class LoopbackListener {
    let socket: Int32
    let port: Int

    init() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw PDFProblem(description: "no loopback port")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        socket = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Connections made since the listener opened (each is accepted and closed).
    func connections() -> Int {
        var count = 0
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 { return count }
            close(client)
            count += 1
        }
    }

    deinit { close(socket) }
}

@Suite(.serialized) struct LetterSafetyTests {
    /// What an attacker put in a wording or a field: a local file as an attachment and an image, styles and
    /// links that call a server.
    static func hostile(port: Int) -> String {
        """
        <!DOCTYPE html><html><head><meta charset="utf-8">
        <link rel="attachment" href="file:///etc/hostname">
        <link rel="stylesheet" href="http://127.0.0.1:\(port)/style.css"></head>
        <body><p>Annwyl riant <img src="http://127.0.0.1:\(port)/pixel.png" alt="">
        <a rel="attachment" href="file:///etc/passwd">x</a></p>
        <div style="background: url(http://127.0.0.1:\(port)/bg.png)">y</div>
        <img src="file:///etc/hostname" alt=""></body></html>
        """
    }

    @Test(needsPDF) func aLetterFetchesNothingAndAttachesNothingWhateverItNames() async throws {
        let pdf = try #require(installedPDFMaker, "WeasyPrint is not installed")
        let listener = try LoopbackListener()
        let made = try await pdf.render([Self.hostile(port: listener.port)], combine: [0])
        #expect(listener.connections() == 0, "the PDF maker called the loopback listener")
        for data in [made.each[0], made.combined!] {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID()).pdf")
            try data.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            #expect(try ChildProcess.output(["/usr/bin/pdfdetach", "-list", file.path]).hasPrefix("0 embedded files"))
            let hostname =
                (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if !hostname.isEmpty { #expect(!(try pdfText(data)).contains(hostname)) }
            #expect(try pdfText(data).contains("Annwyl riant"))
        }
    }

    @Test(arguments: [
        "<p>Dear parent</p><img src=\"http://127.0.0.1:9/x.png\">",
        "<link rel=\"attachment\" href=\"file:///etc/hostname\">",
        "<p style=\"background:url(file:///etc/passwd)\">x</p>",
        "<a href=\"https://example.org\">here</a>",
        "<p class=\"x\" onclick=\"y\">z</p>",
        "<p class=\"{{pupil_name}}\">z</p>",
        "<style>p { color: red }</style>",
        "<script>alert(1)</script>",
        "<!-- a comment -->",
        "<svg><image href=\"file:///etc/hostname\"/></svg>",
        "{{{pupil_name}}}",
        "{{& pupil_name}}",
        "{{ &pupil_name}}",
        "<p>unclosed <strong",
    ])
    func aWordingWithMarkupOrTripleBracesIsRefused(source: String) {
        #expect(throws: LetterTemplateProblem.self, "\(source)") {
            try LetterTemplates.compile(source, name: "en/letter_1")
        }
    }

    @Test func theShippedWordingsAndPlainMarkupPass() throws {
        let templates = try LetterTemplates()
        for kind in LetterKind.allCases {
            for language in Language.allCases {
                #expect(LetterTemplates.forbiddenMarkup(in: templates.shippedSource(kind, language)) == nil)
            }
        }
        #expect(
            LetterTemplates.forbiddenMarkup(
                in:
                    "<p>{{pupil_name}} <strong>now</strong><br></p><table class=\"details\"><tr><th scope=\"row\">a</th></tr></table>"
            )
                == nil)
    }

    @Test(arguments: [
        (["meeting_date": "garbage"], LetterDetails.Problem(field: "meeting_date", reason: .notADate)),
        (["meeting_time": "25:99"], .init(field: "meeting_time", reason: .notATime)),
        (["meeting_place": String(repeating: "x", count: 201)], .init(field: "meeting_place", reason: .tooLong)),
        (["holiday_reason": String(repeating: "x", count: 1001)], .init(field: "holiday_reason", reason: .tooLong)),
        (["meeting_place": "Hall\u{0}"], .init(field: "meeting_place", reason: .controlCharacter)),
        (["holiday_decision": "maybe"], .init(field: "holiday_decision", reason: .notAChoice)),
        (
            ["holiday_from": "2026-12-10", "holiday_to": "2026-12-01"],
            .init(field: "holiday_to", reason: .endsBeforeStart)
        ),
        (["head_teacher": "x"], .init(field: "head_teacher", reason: .unknown)),
    ])
    func aDetailThatCannotBeKeptIsRefusedAndNothingIsKept(details: [String: String], problem: LetterDetails.Problem)
        async throws
    {
        try await withLetters { service, store in
            let upn = try await store.reference.roll(
                of: try await store.reference.requireSchool(school).id, in: DateRange(today, today)!
            )[0].pupil.upn
            let before = try await store.letters.letters(of: upn).count
            await #expect(throws: LetterProblem.badDetail(problem)) {
                try await service.produce(
                    .meetingInvitation, for: upn, school: school,
                    details: ["meeting_date": "2026-12-01", "meeting_time": "09:30", "meeting_place": "Hall"]
                        .merging(details) { _, new in new }, today: today, by: AuditActor("t"), signatory: "t")
            }
            #expect(try await store.letters.letters(of: upn).count == before)
        }
    }
}
