import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Every page of the words tour (each role's pages, with the demo's casework in them), in both languages, as a
/// file under `Snapshots/`: a change to a page shows in review as a change to its file. The demo is made from a
/// fixed seed on the fixed day (`testToday`); what differs between runs (the CSRF token, the clock's time, ids
/// made at random) is written as a placeholder before comparing, so the files never flap.
///
/// A page that differs from its file fails. To accept a change, run with `RECORD_SNAPSHOTS=1` and review the
/// diff of `Tests/AttendanceWebTests/Snapshots/` before committing it; a page without a file is written and fails
/// once, so a new page's first snapshot is seen.
@Suite struct PageSnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots")

    @Test func everyPageMatchesItsSnapshotInBothLanguages() async throws {
        let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        try await withWebApp { app, store in
            let tour = try await WordsOnEveryPageTests.tour(app, store)
            var seen: Set<String> = []
            // The routes some role opened as a page (an answer of 403 or 404 is snapshotted too, but does not count
            // as the page: the route is then opened below by a role allowed it).
            var opened: Set<String> = ["sign-in"]
            for role in Role.allCases {
                for language in Language.allCases {
                    var browser = try await Browser.signedIn(app, as: role)
                    browser.cookies["lang"] = language.rawValue
                    for path in tour.pages(for: role) {
                        let name = "\(role.rawValue)-\(Self.fileName(path, tour: tour)).\(language.rawValue).html"
                        guard seen.insert(name).inserted else { continue }
                        let response = try await browser.get(path)
                        guard response.headers.contentType?.subType == "html" else { continue }
                        if response.status == .ok { opened.insert(Self.pattern(of: path)) }
                        try Self.compare(Self.stable(response.body.string, path: path), with: name, record: record)
                    }
                }
            }
            // Every other page the server answers a GET with, as the first role that may open it: a new page is
            // snapshotted without a line here, once its parameters are of a kind the tour fills.
            let roles =
                [Role.headTeacher, .educationLead] + Role.allCases.filter { $0 != .headTeacher && $0 != .educationLead }
            for route in app.routes.all where route.method == .GET {
                let pattern = route.path.map(\.description).joined(separator: "/")
                guard !opened.contains(pattern), Self.isPage(pattern) else { continue }
                guard let path = Self.fill(pattern, tour: tour) else {
                    Issue.record("/\(pattern): give the tour an id for it (PageSnapshotTests.fill)")
                    continue
                }
                var shown = false
                for role in roles where !shown {
                    var browser = try await Browser.signedIn(app, as: role)
                    for language in Language.allCases {
                        browser.cookies["lang"] = language.rawValue
                        let response = try await browser.get(path)
                        guard response.status == .ok, response.headers.contentType?.subType == "html" else { break }
                        shown = true
                        let name = "\(role.rawValue)-\(Self.fileName(path, tour: tour)).\(language.rawValue).html"
                        seen.insert(name)
                        try Self.compare(Self.stable(response.body.string, path: path), with: name, record: record)
                    }
                }
                #expect(shown, "no role opens /\(pattern) as a page")
            }
            // The page before signing in.
            for language in Language.allCases {
                var visitor = Browser(app)
                visitor.cookies["lang"] = language.rawValue
                let name = "visitor-sign-in.\(language.rawValue).html"
                seen.insert(name)
                let page = try await visitor.get(SiteURL.signIn.path())
                try Self.compare(Self.stable(page.body.string, path: ""), with: name, record: record)
            }
            #expect(seen.count >= 170, "pages snapshot: \(seen.count)")
        }
    }

    /// Compares a page with its file; writes the file when recording or when there is none yet.
    static func compare(_ html: String, with name: String, record: Bool) throws {
        let file = directory.appendingPathComponent(name)
        let kept = try? String(contentsOf: file, encoding: .utf8)
        guard kept != html else { return }
        if record || kept == nil {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try html.write(to: file, atomically: true, encoding: .utf8)
        }
        guard !record else { return }
        let why = kept == nil ? "has no snapshot yet (written now)" : "differs from its snapshot"
        Issue.record("\(name) \(why): run with RECORD_SNAPSHOTS=1 to accept, and review the diff")
    }

    /// A route's pattern with the tour's values in place of its parameters, or nil for a parameter the tour
    /// has no value for.
    static func fill(_ pattern: String, tour: WordsOnEveryPageTests.Tour) -> String? {
        let ids: [String: String] = [
            "schools/:laestab/letters/:id": String(tour.letter), "schools/:laestab/esw/:id": String(tour.eswCase),
            "schools/:laestab/penalties/:id/pack": String(tour.penalty),
            "schools/:laestab/letters/batches/:batch": batchID(tour), "pupils/:upn/letters/:id": String(tour.letter),
            "lessons/:laestab/:date/:lesson": String(tour.lesson),
        ]
        var parts: [String] = []
        for part in pattern.split(separator: "/").map(String.init) {
            switch part {
            case ":laestab": parts.append(mainSchool.description)
            case ":upn": parts.append(tour.pupilWithActions.value)
            case ":group": parts.append(tour.group)
            case ":date": parts.append(testToday.iso)
            case ":session": parts.append("am")
            case ":kind": parts.append(LetterKind.letter1.rawValue)
            case ":language": parts.append(Language.cy.rawValue)
            case let other where other.hasPrefix(":"):
                guard let id = ids[pattern] else { return nil }
                parts.append(id)
            default: parts.append(part)
            }
        }
        // A page about one of the school's own groups names it in its query: the demo's own.
        let query = pattern == "schools/:laestab/groups/members" ? "?group=" + SiteURL.encode(DemoLoader.groupName) : ""
        return "/" + parts.joined(separator: "/") + query
    }

    /// A route's pattern as the tour's paths give it ("schools/:laestab/office"), to tell which routes the tour
    /// already opened.
    static func pattern(of path: String) -> String {
        let parts = path.split(separator: "?")[0].split(separator: "/").map(String.init)
        return parts.enumerated().map { index, part in
            if LAESTAB(text: part) != nil { return ":laestab" }
            if (try? UPN(part)) != nil { return ":upn" }
            if LocalDate(iso: part) != nil { return ":date" }
            if Int(part) != nil { return ":id" }
            if parts[0] == "registers" && index == 2 { return ":group" }
            if parts[0] == "registers" && index == 4 { return ":session" }
            if parts.count > 4 && parts[2] == "letters" && parts[3] == "batches" && index == 4 { return ":batch" }
            if parts.starts(with: ["letters", "templates"]) && index > 1 { return index == 2 ? ":kind" : ":language" }
            return part
        }.joined(separator: "/")
    }

    /// The batch the tour's letters were made in.
    static func batchID(_ tour: WordsOnEveryPageTests.Tour) -> String {
        String(tour.batch.split(separator: "?")[0].split(separator: "/").last ?? "")
    }

    /// A route that answers with a page, not data (the API, CSV, PDF and JSON routes and the health check), nor
    /// a job's page, which answers a finished job with its batch (303).
    static func isPage(_ pattern: String) -> Bool {
        !(pattern.hasPrefix("api") || pattern.hasSuffix(".csv") || pattern.hasSuffix("pdf")
            || pattern.hasSuffix("json") || pattern.hasSuffix(".svg") || pattern.hasSuffix(".zip")
            || pattern == "health"
            || pattern == "ready" || pattern == "metrics"
            || pattern.hasSuffix("openapi.json")
            || pattern == "schools/:laestab/letters/jobs/:id" || pattern == "schools/:laestab/transfers/files/:id")
    }

    /// The path as a file name, with the tour's ids (which depend on the order rows were made) named by what
    /// they are.
    static func fileName(_ path: String, tour: WordsOnEveryPageTests.Tour) -> String {
        var name = path
        for (value, word) in [
            (tour.pupilWithActions.value, "pupil-with-actions"), (tour.child.value, "child"),
            (tour.job, "job"), (tour.batch, "batch"), (batchID(tour), "batch"),
        ] {
            name = name.replacingOccurrences(of: value, with: word)
        }
        if path == SiteURL.school(.letter, mainSchool, id: tour.letter) { name = "/schools/letter" }
        if path == SiteURL.school(.eswCase, mainSchool, id: tour.eswCase) { name = "/schools/esw-case" }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-"))
        let words = String(name.unicodeScalars.map { allowed.contains($0) ? Character($0) : "-" })
            .split(separator: "-").joined(separator: "-")
        return words.isEmpty ? "home" : words
    }

    /// The page without what differs between runs: the CSRF token, the clock's time (audit lines, "printed at"),
    /// random ids (a batch's suffix). The audit trail's rows are left out: they are the order work finished in
    /// (letters are made in the background), which is the clock's, not the page's.
    static func stable(_ html: String, path: String) -> String {
        var page = html
        if path.hasPrefix(SiteURL.audit.path()) {
            page = page.replacingOccurrences(
                of: #"<tbody>[\s\S]*?</tbody>"#, with: "<tbody>AUDIT ROWS</tbody>", options: .regularExpression)
        }
        let now = Timestamp.day(Date()).iso
        // A moment of this run in words ("Sunday 6 December 2026, 11:03", "(d)dydd Sul 6 Rhagfyr 2026, 11:03").
        let today = UKTime.parts(Date()).date
        let moments = Language.allCases.map {
            "d?" + NSRegularExpression.escapedPattern(for: today.readable($0)) + #", \d{2}:\d{2}"#
        }
        // A register taken on a later day than its own says the day it was taken ("12-07", "!" if after it
        // closed): the tests take the fixed day's registers on the day they run.
        let days = Set([today, Timestamp.day(Date())].map { String($0.iso.dropFirst(5)) })
        let takenOn = days.map { (#"<td>\#($0)(!?)</td>"#, "<td>TODAY$1</td>") }
        for (pattern, placeholder) in moments.map({ ($0, "NOW") }) + takenOn + [
            (#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?"#, "TIMESTAMP"),
            (now + #" \d{2}:\d{2}"#, "NOW"),
            (#"\b(\d{4}-\d{2}-\d{2})-[0-9a-f]{8}\b"#, "$1-BATCH"),
            (#"name="csrf" value="[^"]*""#, #"name="csrf" value="CSRF""#),
            (#"name="csrf-token" content="[^"]*""#, #"name="csrf-token" content="CSRF""#),
            (#"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#, "UUID"),
        ] {
            page = page.replacingOccurrences(of: pattern, with: placeholder, options: .regularExpression)
        }
        return page
    }
}
