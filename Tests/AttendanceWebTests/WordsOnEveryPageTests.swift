import AttendanceCore
import AttendanceInterop
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Words, not keys, on every page a person can open: each role's pages, after the procedure has run and the day's
/// letters were made (so the queue, the timelines and the letters have something in them), in both languages. No
/// catalogue key, placeholder or stored snake_case word reaches the reader, and a Welsh page carries no word only
/// the English catalogue uses.
@Suite struct WordsOnEveryPageTests {
    let strings = try! Strings(directory: WebServer.resources.appendingPathComponent("strings"))

    /// What a reader is shown of a page: its text and the words read aloud or shown on hover (labels, titles,
    /// placeholders, alternative text, button values), not its tags, scripts or styles.
    static func readable(_ html: String) -> String {
        var page = html
        for block in [#"<script[^>]*>[\s\S]*?</script>"#, #"<style[^>]*>[\s\S]*?</style>"#] {
            page = page.replacingOccurrences(of: block, with: " ", options: .regularExpression)
        }
        var said: [String] = []
        let attribute = try! NSRegularExpression(
            pattern: #"\s(?:aria-label|placeholder|title|alt)="([^"]*)""#)
        let whole = NSRange(page.startIndex..., in: page)
        for match in attribute.matches(in: page, range: whole) {
            if let range = Range(match.range(at: 1), in: page) { said.append(String(page[range])) }
        }
        said.append(page.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression))
        return said.joined(separator: "\n").replacingOccurrences(of: "&amp;", with: "&")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
    }

    /// Pages whose subject is people's identities: the users page lists accounts by their emails.
    static let identityPages = [SiteURL.users.path()]

    /// What a reader should see in words instead: an email address, a UPN, an ISO date.
    static let notForReaders = [
        ("an email", #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}"#), ("a UPN", #"\b[A-Z][0-9]{11}[0-9A-Z]\b"#),
        ("an ISO date", #"\b20[0-9]{2}-[01][0-9]-[0-3][0-9]\b"#),
    ]

    /// The page without the parts marked as showing an identity (`data-identity`), which may name an email or a
    /// UPN: a span, cell or list item closed by its own end tag.
    static func withoutIdentity(_ html: String) -> String {
        html.replacingOccurrences(
            of: #"<(span|td|li|p|dd)\b[^>]*\bdata-identity\b[^>]*>[\s\S]*?</\1>"#, with: " ",
            options: .regularExpression)
    }

    /// The pages each role opens, by role: its own and what its menu and its pages link to.
    struct Tour {
        var pupilWithActions: UPN
        var child: UPN
        var group: String
        var tutorGroup: String
        var batch: String
        var job: String
        var letter: Int
        /// An ESW case allocated to the demo ESW, with a log entry.
        var eswCase: EswCaseID = 0
        /// A penalty notice case requested, with its evidence pack.
        var penalty: PenaltyCaseID = 0
        /// A workshop the head started for the tutor's pupil, with a session held.
        var intervention = 0
        /// A transfer file imported (the hand-written fixture), one of its admissions confirmed.
        var transferImport = 0
        var transferred = try! UPN("B801200005001")
        /// The demo teacher's first lesson of the day, and a pupil of the same-day check the day before (found on
        /// site, recorded by the office).
        var lesson = 0
        var yesterdayLesson = 0
        var yesterday = LocalDate(iso: "2026-11-24")!

        func pages(for role: Role) -> [String] {
            let everyone = [SiteURL.home.path(), SiteURL.account.path(), SiteURL.password.path()]
            let register = SiteURL.register(mainSchool, group: group, date: testToday, half: .am)
            switch role {
            case .parent: return everyone + [SiteURL.pupil(child), SiteURL.askLeave.path(["upn": child.value])]
            case .teacher:
                return everyone + [
                    SiteURL.lessons.path(), SiteURL.lessons.path(query: ["date": yesterday.iso]),
                    SiteURL.lessonRegister(mainSchool, date: testToday, id: lesson),
                    SiteURL.lessonRegister(mainSchool, date: yesterday, id: yesterdayLesson),
                ]
            case .patrol: return everyone + [SiteURL.patrols.path()]
            case .mentor: return everyone + [SiteURL.pupil(child)]
            case .formTutor:
                return everyone + [
                    SiteURL.registers.path(),
                    SiteURL.register(mainSchool, group: tutorGroup, date: testToday, half: .pm),
                    SiteURL.printRegister(mainSchool, group: tutorGroup), SiteURL.pupil(child),
                    SiteURL.classroomDisplay(mainSchool, group: tutorGroup),
                ]
            case .headTeacher:
                return everyone + [
                    SiteURL.school(mainSchool), SiteURL.pupil(pupilWithActions), SiteURL.registers.path(), register,
                    SiteURL.register(mainSchool, group: group, date: LocalDate(iso: "2026-11-29")!, half: .am),
                    SiteURL.printRegister(mainSchool, group: group), SiteURL.school(.office, mainSchool),
                    SiteURL.school(.lateBook, mainSchool), SiteURL.school(.actions, mainSchool),
                    SiteURL.school(.actions, mainSchool, query: ["action": "letter_1"]), SiteURL.users.path(),
                    SiteURL.audit.path(), job, batch, SiteURL.school(.leaveQueue, mainSchool),
                    SiteURL.school(.schoolPenalties, mainSchool),
                    SiteURL.school(.office, mainSchool, query: ["date": "2026-11-26"]),
                    SiteURL.school(.letter, mainSchool, id: letter),
                    SiteURL.templates.path(), SiteURL.letterTemplate(.letter1, .cy),
                    SiteURL.school(.penaltyPack, mainSchool, id: penalty),
                    "/registers/\(mainSchool)/7Z/\(testToday)/am", "/pupils/nobody",
                    SiteURL.school(.groupAnalysis, mainSchool),
                    SiteURL.school(.groupMembers, mainSchool, query: ["group": DemoLoader.groupName]),
                    SiteURL.school(.dataCheck, mainSchool), SiteURL.school(.governorsReport, mainSchool),
                    SiteURL.school(.compareSchools, mainSchool), SiteURL.school(.rewards, mainSchool),
                    SiteURL.school(.newsletter, mainSchool), SiteURL.school(.schoolConcerns, mainSchool),
                    SiteURL.school(.interventions, mainSchool), SiteURL.school(.parentsEvening, mainSchool),
                    SiteURL.school(.intervention, mainSchool, id: intervention),
                    SiteURL.school(.transfers, mainSchool, query: ["imported": String(transferImport)]),
                    SiteURL.pupil(transferred),
                ]
            case .educationLead:
                return everyone + [
                    SiteURL.school(otherSchool), SiteURL.users.path(), SiteURL.audit.path(),
                    SiteURL.penaltyQueue.path(), SiteURL.eswInbox.path(), SiteURL.eswCaseload.path(),
                    SiteURL.returns.path(), SiteURL.missingEducation.path(), SiteURL.patrols.path(),
                    SiteURL.school(.eswCase, mainSchool, id: eswCase), SiteURL.legal.path(),
                    SiteURL.dashboard.path(), SiteURL.weeklyReturn.path(), SiteURL.concerns.path(),
                    SiteURL.school(.transfers, mainSchool),
                ]
            case .educationSocialWorker:
                return everyone + [
                    SiteURL.school(.actions, mainSchool), SiteURL.pupil(pupilWithActions), SiteURL.eswCaseload.path(),
                    SiteURL.school(.eswCase, mainSchool, id: eswCase), SiteURL.school(.schoolVisits, mainSchool),
                ]
            case .headOfYear:
                return everyone + [
                    SiteURL.school(.actions, mainSchool), SiteURL.pupil(pupilWithActions),
                    SiteURL.school(.interventions, mainSchool, query: ["breakdown": "year", "key": "7"]),
                    SiteURL.school(.intervention, mainSchool, id: intervention),
                    SiteURL.school(.parentsEvening, mainSchool),
                    SiteURL.school(.sameDayCheck, mainSchool, query: ["date": yesterday.iso]),
                ]
            case .attendanceAdministrator, .seniorManagement:
                return everyone + [
                    SiteURL.school(.office, mainSchool), SiteURL.school(.lateBook, mainSchool),
                    SiteURL.registers.path(), SiteURL.lessons.path(),
                    SiteURL.school(.schoolLessons, mainSchool, query: ["date": yesterday.iso]),
                    SiteURL.school(.schoolLessons, mainSchool), SiteURL.school(.timetable, mainSchool),
                    SiteURL.school(.sameDayCheck, mainSchool, query: ["date": yesterday.iso]),
                    SiteURL.lessonRegister(mainSchool, date: yesterday, id: yesterdayLesson),
                ]
            case .governor:
                return everyone + [
                    SiteURL.school(mainSchool), SiteURL.school(.schoolPenalties, mainSchool),
                    SiteURL.school(.groupAnalysis, mainSchool), SiteURL.school(.governorsReport, mainSchool),
                ]
            case .schoolImprovementAdviser:
                return everyone + [
                    SiteURL.school(mainSchool), SiteURL.school(.groupAnalysis, mainSchool),
                    SiteURL.school(.governorsReport, mainSchool), SiteURL.school(.compareSchools, mainSchool),
                ]
            }
        }
    }

    /// The demo after the procedure has run and the day's letters were made, with the parents' side, ESW cases, a
    /// patrol sighting and a penalty request in it: the pages of the tour have something to show.
    static func tour(_ app: Application, _ store: Store) async throws -> Tour {
        try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
        var desk = try await Browser.signedIn(app, as: .attendanceAdministrator)
        try await desk.get(SiteURL.school(.actions, mainSchool))
        let (job, batch) = try await desk.produceDueLettersAsJob()
        let batchID = String(batch.split(separator: "?")[0].split(separator: "/").last!)
        let letter = try #require(try await store.letters.letters(batch: batchID, school: mainSchool).first)
        let parent = try #require(try await store.identity.user(email: "parent@demo.example"))
        let tutor = try #require(try await store.identity.user(email: "tutor@demo.example"))
        var tour = Tour(
            pupilWithActions: letter.upn, child: try #require(parent.grants[0].child),
            group: try #require(try await store.reference.pupil(letter.upn)).pupil.registrationGroup,
            tutorGroup: tutor.grants[0].registrationGroups[0], batch: batch, job: job, letter: letter.id)

        // The parents' side with something in it: a report confirmed, one waiting, a request decided and one
        // waiting, a contact changed.
        let head = AuditActor("head@demo.example"), mum = AuditActor("parent@demo.example")
        let thursday = LocalDate(iso: "2026-11-26")!
        let report = try await store.leave.reportAbsence(
            for: tour.child, dates: DateRange(thursday, thursday)!, part: .morning, reason: .medical,
            note: "Deintydd", today: testToday, by: mum)
        try await store.leave.confirmAbsenceReport(report.id, school: mainSchool, code: "M", by: head)
        _ = try await store.leave.reportAbsence(
            for: tour.child, dates: DateRange(thursday, LocalDate(iso: "2026-11-27")!)!, part: .whole,
            reason: .religious, note: "", today: testToday, by: mum)
        let decided = try await store.leave.requestLeave(
            for: tour.child, dates: DateRange(LocalDate(iso: "2026-11-30")!, LocalDate(iso: "2026-12-02")!)!,
            reason: "Priodas", category: .familyOccasion, details: "Gwahoddiad", siblings: "", today: nil, by: mum)
        _ = try await store.leave.decideLeave(
            decided.id, school: mainSchool, kind: .agreed,
            agreed: DateRange(LocalDate(iso: "2026-12-01")!, LocalDate(iso: "2026-12-02")!), reason: "Iawn",
            category: .familyOccasion, limit: 10, by: head)
        _ = try await store.leave.requestLeave(
            for: tour.child, dates: DateRange(LocalDate(iso: "2027-01-11")!, LocalDate(iso: "2027-02-12")!)!,
            reason: "Awstralia", category: nil, details: "", siblings: "", today: nil, by: mum)
        if let contact = try await store.contacts.contacts(of: tour.child).first {
            try await store.contacts.updateContactDetails(
                ContactDetails(
                    phone: contact.phone, mobile: "07700 900555", email: contact.email, address: contact.address,
                    language: .cy), of: tour.child, priority: contact.priority, by: mum)
        }
        // ESW cases: one allocated to the demo ESW with a visit logged, one waiting in the inbox.
        let office = AuditActor("office@demo.example"), lead = AuditActor("lead@demo.example")
        let eswCase = try await store.esw.referToEsw(
            tour.pupilWithActions, school: mainSchool, source: .school, notes: "Dim ateb i lythyrau",
            concerns: "Gofalwr ifanc", on: testToday, by: office)
        _ = try await store.esw.allocateEswCase(eswCase.id, to: "esw@demo.example", by: lead)
        _ = try await store.esw.logEswEntry(
            eswCase.id, kind: .homeVisit, on: testToday, with: "Mam", outcome: "Cytunwyd ar gynllun",
            nextStep: "Adolygu", nextStepOn: testToday.adding(days: 7), by: AuditActor("esw@demo.example"))
        let plan = try await store.esw.startImprovementPlan(
            case: eswCase.id, start: testToday.adding(days: -14), targetPercent: 95,
            schoolActions: "Croeso bob bore",
            familyActions: "Cerdded i'r ysgol", pupilActions: "Cyrraedd erbyn 8:40",
            by: AuditActor("esw@demo.example"))
        _ = try await store.esw.reviewImprovementPlan(
            plan.id, week: 1, note: "Wythnos dda", today: testToday, by: AuditActor("esw@demo.example"))
        let panel = try await store.esw.schedulePanel(
            case: eswCase.id, sitting: PanelSitting(on: testToday, time: "10:00", place: "Neuadd y Dref"),
            members: "Gweithiwr cymdeithasol addysg", by: AuditActor("esw@demo.example"))
        _ = try await store.esw.recordPanelAttendance(
            panel.id, .absentWithoutNotice,
            second: PanelSitting(on: testToday.adding(days: 7), time: "10:00", place: "Neuadd y Dref"),
            today: testToday, by: AuditActor("esw@demo.example"))
        // A patrol found the pupil out of school today: on the office page and the pupil's timeline.
        let patrolled = try #require(try await store.reference.pupil(tour.pupilWithActions)).pupil
        _ = try await store.esw.logPatrolEntry(
            PatrolSighting(
                seenOn: testToday, seenAt: "10:40", place: "Stryt Fawr", nameGiven: patrolled.displayName,
                schoolGiven: "Ysgol", school: mainSchool, reasonGiven: "Dim rheswm", accompanied: false,
                takenTo: "Yr ysgol"), by: AuditActor("patrol@demo.example"))
        tour.eswCase = eswCase.id
        _ = try await store.esw.referToEsw(
            tour.child, school: mainSchool, source: .procedure, notes: "", concerns: "", on: testToday, by: office)
        // A penalty notice case requested, for the head's and the Education Lead's pages.
        let (penalty, _) = try await PenaltyWebTests.warnedCase(store)
        _ = try await store.penalties.requestPenalty(
            penalty.id, school: mainSchool, engagement: "Dim ateb", equality: "Dim", today: testToday,
            policy: .wrexham2025, by: head
        ) { _ in PenaltyPackDocument(language: .cy, html: "<p>pecyn</p>", pdf: nil) }
        tour.penalty = penalty.id
        // A concern the authority raised, and one the head has answered: both pages have something to say.
        try await store.concerns.raise(
            mainSchool, request: "Mae presenoldeb Blwyddyn 10 wedi gostwng.", dueBy: testToday.adding(days: 7),
            figures: Concern.Figures(attendanceTenths: 931, targetTenths: 950, persistentTenths: 142), today: testToday,
            by: AuditActor("lead@demo.example"))
        let answered = try await store.concerns.raise(
            mainSchool, request: "Cynllun?", dueBy: testToday,
            figures: Concern.Figures(
                attendanceTenths: 931, targetTenths: nil, persistentTenths: 142), today: testToday,
            by: AuditActor("lead@demo.example"))
        try await store.concerns.take(
            .answer, concern: answered, school: mainSchool, answer: "Cynllun gyda'r GCA.", by: head)
        // A workshop with a session held, for the interventions' pages and the audit trail.
        tour.intervention = try await store.interventions.start(
            try Intervention.Draft(
                kind: .workshop, title: "Hydref", leader: "head@demo.example", pupils: [tour.child],
                start: testToday.adding(days: -14), end: nil, notes: "Nodiadau", today: testToday),
            school: mainSchool, today: testToday, by: head)
        try await store.interventions.recordSession(
            intervention: tour.intervention, school: mainSchool, on: testToday.adding(days: -7),
            topic: "Pam mae presenoldeb yn bwysig?", attended: [tour.child], today: testToday, by: head)
        // A transfer file imported, with one admission confirmed and one waiting: the transfers page, the pupil's
        // years at the other school, and the audit trail's lines.
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/ctf/hand-written.xml")
        let imported = try await store.transfers.importCTF(
            try CTFReader.read(try Data(contentsOf: fixture)), fileName: "6654002_CTF_6654001_001.xml",
            school: mainSchool, today: testToday, by: office)
        tour.transferImport = imported.importID
        let admission = try #require(try await store.transfers.admissions(school: mainSchool).first)
        try await store.transfers.confirmAdmission(
            admission.id, school: mainSchool, firstDay: testToday, group: "8C", today: testToday, by: office)
        // A second file, as DfE's code writes one: its pupil waits for the office to admit them.
        let dfe = fixture.deletingLastPathComponent().appendingPathComponent("dfe-giap-style.xml")
        _ = try await store.transfers.importCTF(
            try CTFReader.read(try Data(contentsOf: dfe)), fileName: "3402001_CTF_6654001_001.xml",
            school: mainSchool, today: testToday, by: office)
        // Lessons: the teacher's first lesson of the day; a pupil of yesterday's same-day check found on site, a lesson
        // covered.
        let lessons = try await store.lessons.lessonsOfDay(school: mainSchool, on: testToday)
        tour.lesson = try #require(lessons.first { $0.lesson.teacher == DemoTimetable.teacher }).id
        tour.yesterdayLesson = try #require(
            try await store.lessons.lessonsOfDay(school: mainSchool, on: tour.yesterday).first {
                $0.lesson.teacher == DemoTimetable.teacher
            }
        ).id
        if let missing = try await store.lessons.sameDayCheck(school: mainSchool, on: tour.yesterday).first {
            try await store.lessons.recordSameDay(
                .foundOnSite, upn: missing.upn, school: mainSchool, on: tour.yesterday, note: nil, by: office)
        }
        try await store.lessons.assignCover(
            school: mainSchool, lessonID: tour.yesterdayLesson, on: tour.yesterday, teacher: "cover@example.org",
            by: office)
        // A rewards draw: its line in the audit trail is in words too.
        let onRoll = try await store.reference.onRoll(mainSchool, on: testToday).prefix(6).map(\.upn)
        try await store.rewards.draw(
            mainSchool, reward: .fullAttendance, span: .term,
            period: DateRange(LocalDate(iso: "2026-09-01")!, testToday)!, entrants: onRoll, wanted: 2, seed: 11,
            by: head)
        return tour
    }

    @Test(arguments: Language.allCases)
    func everyPageSpeaksTheReadersLanguageInWords(language: Language) async throws {
        try await withWebApp { app, store in
            let tour = try await Self.tour(app, store)
            let keys = strings.keys(.en).union(strings.keys(.cy))
            let english = language == .cy ? PageModelTests.englishOnlyWords(strings) : []
            // Names and abbreviations in both languages, and Welsh words the English catalogue also uses: a parent
            // called Mark in the demo, "ar ran" (on behalf of) on a letter.
            let allowed: Set<String> = ["wrexham", "upn", "laestab", "csv", "pdf", "api", "mark", "ran"]
            var pagesRead = 0
            for role in Role.allCases {
                var browser = try await Browser.signedIn(app, as: role)
                browser.cookies["lang"] = language.rawValue
                for path in tour.pages(for: role) {
                    let response = try await browser.get(path)
                    guard response.headers.contentType?.subType == "html" else { continue }
                    pagesRead += 1
                    let said = Self.readable(response.body.string)
                    let tokens = said.split(whereSeparator: { $0.isWhitespace || ",;:()«»\"".contains($0) })
                        .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".?!")) }
                    let place = "\(language) \(role) \(path)"
                    for token in tokens where keys.contains(token) && token.contains(".") {
                        Issue.record("\(place): the catalogue key \(token)")
                    }
                    for pattern in [#"\b[a-z]+_[a-z_]+\b"#, #"\{[a-zA-Z]+\}"#] {
                        if let found = said.range(of: pattern, options: .regularExpression) {
                            Issue.record("\(place): \(said[found])")
                        }
                    }
                    // People by their names and days in words: an email or a UPN only where the page is about that
                    // very thing (marked `data-identity`: a user's own line, a contact's own details, the pupil's
                    // identity line), on the users page and in the audit export; no ISO date but in forms' values.
                    let named = Self.readable(Self.withoutIdentity(response.body.string))
                    if !Self.identityPages.contains(where: { path.hasPrefix($0) }) {
                        for (what, pattern) in Self.notForReaders {
                            if let found = named.range(of: pattern, options: .regularExpression) {
                                let from = named.index(found.lowerBound, offsetBy: -60, limitedBy: named.startIndex)
                                let to = named.index(found.upperBound, offsetBy: 40, limitedBy: named.endIndex)
                                let around = named[(from ?? named.startIndex)..<(to ?? named.endIndex)]
                                Issue.record("\(place): \(what) \(named[found]) in «\(around)»")
                            }
                        }
                    }
                    if language == .cy {
                        // What a page shows in English on purpose is marked so (the newsletter's English text).
                        let welshOnly = response.body.string.replacingOccurrences(
                            of: #"<(p|h3|text|title|desc)\b[^>]*\blang="en"[^>]*>.*?</\1>"#, with: " ",
                            options: .regularExpression)
                        let said = Self.readable(welshOnly)
                        // Data is shown as recorded: emails, and what the demo's office typed in English (a reason
                        // for a correction, the pupils' reasons for leaving).
                        var words = said.replacingOccurrences(of: #"\S+@\S+"#, with: " ", options: .regularExpression)
                        for typed in ["Parent phoned: illness"] {
                            words = words.replacingOccurrences(of: typed, with: " ")
                        }
                        let seen = Set(words.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
                        let stray = seen.intersection(english).subtracting(allowed).sorted()
                        #expect(stray == [], "\(place): English words on a Welsh page")
                    }
                }
            }
            #expect(pagesRead >= 45)
        }
    }
}
