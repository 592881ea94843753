import AttendanceCore
import Foundation
import Mustache
import Testing

@testable import AttendanceStore
@testable import AttendanceWeb

/// Typed page models: each built from the store's values by a plain function (tested here with fixtures, no
/// server), and its template's HTML checked against what the page must say.
@Suite struct PageModelTests {
    let strings = try! Strings(directory: WebServer.resources.appendingPathComponent("strings"))

    func text(_ language: Language) -> (String) -> String { { strings($0, language) } }

    /// The frame of a signed-out page, fixed for rendering, with the catalogue in `language` for the template's
    /// own labels.
    func frame(_ language: Language = .en) -> PageFrame {
        PageFrame(
            lang: language.rawValue, otherLang: language == .en ? "cy" : "en", appName: "Attendance",
            skip: "Skip to content", switchLanguage: "Cymraeg", switchLanguageHref: "/account?lang=cy", homeHref: "/",
            csrf: "token-1", catalogue: TemplateCatalogue(strings: strings, language: language))
    }

    func render(_ model: some PageModel, in language: Language = .en) async throws -> String {
        let library = try await MustacheLibrary(
            directory: WebServer.resources.appendingPathComponent("templates").path)
        let html = try #require(
            library.render(PageContext(page: model, frame: frame(language)), withTemplate: type(of: model).template))
        // The page's own part: from its heading to the end of main.
        let start = try #require(html.range(of: "<h1>"))
        let end = try #require(html.range(of: "</main>"))
        return String(html[start.lowerBound..<end.lowerBound])
    }

    @Test func thePasswordPageSaysWhyItIsShownAndPostsToItself() async throws {
        let first = PasswordPage.make(mustChange: true, error: nil, text: text(.en))
        #expect(first.mustChange == strings("password.mustChange", .en) && first.error == nil)
        #expect(first.passwordAction == "/account/password")
        let again = PasswordPage.make(mustChange: false, error: "Too short", text: text(.cy))
        #expect(again.mustChange == nil && again.title == strings("password.title", .cy))
        let html = try await render(again, in: .cy)
        #expect(
            html == """
                <h1>\(again.title)</h1>

                <p class="error" role="alert" id="password-error">Too short</p>
                <form method="post" action="/account/password" class="stacked">
                  <input type="hidden" name="csrf" value="token-1">
                  <label for="current">\(strings("password.current", .cy))</label>
                  <input id="current" name="current" type="password" autocomplete="current-password" required>
                  <label for="new">\(strings("password.new", .cy))</label>
                  <input id="new" name="new" type="password" autocomplete="new-password" minlength="10" required aria-describedby="password-error">
                  <label for="confirm">\(strings("password.confirm", .cy))</label>
                  <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="10" required>
                  <button type="submit">\(strings("password.submit", .cy))</button>
                </form>

                """)
    }

    @Test func theAccountPageListsTokensAndOffersToRevokeOnlyLiveOnes() async throws {
        let made = Date(timeIntervalSince1970: 1_764_000_000)  // 2025-11-24T16:00Z
        let tokens = [
            APIToken(id: 7, name: "sync", createdAt: made, lastUsedAt: nil, revokedAt: nil),
            APIToken(id: 8, name: "old", createdAt: made, lastUsedAt: made, revokedAt: made),
        ]
        let page = AccountPage.make(
            roles: ["Form tutor, 7A"], tokens: tokens, passwordChanged: true, newToken: nil, error: nil,
            text: text(.en))
        #expect(page.notice == strings("password.changed", .en) && page.hasTokens)
        #expect(page.tokens.map(\.revokeAction) == ["/account/tokens/7/revoke", "/account/tokens/8/revoke"])
        #expect(page.tokens[0].lastUsed == strings("account.never", .en) && !page.tokens[0].revoked)
        #expect(page.tokens[1].lastUsed == "Monday 24 November 2025, 16:00" && page.tokens[1].revoked)
        let html = try await render(page)
        // One revoke form, for the live token, carrying the frame's CSRF token from inside the table's rows.
        #expect(html.components(separatedBy: "action=\"/account/tokens/").count == 2)
        #expect(html.contains("action=\"/account/tokens/7/revoke\""))
        #expect(html.contains("<input type=\"hidden\" name=\"csrf\" value=\"token-1\">"))
        #expect(html.contains("<li>Form tutor, 7A</li>"))
        #expect(!html.contains("class=\"token\""))  // no new token shown
        let none = AccountPage.make(
            roles: [], tokens: [], passwordChanged: false, newToken: "att_x", error: nil, text: text(.cy))
        let empty = try await render(none, in: .cy)
        #expect(
            empty.contains(strings("account.noTokens", .cy)) && empty.contains("<code class=\"token\">att_x</code>"))
        #expect(!empty.contains("<table"))
    }
}

extension PageModelTests {
    @Test func theSignInPageKeepsWhatWasTypedAndListsDemoAccountsOnlyOnADemoServer() async throws {
        let plain = SignInPage.make(
            next: "/registers", email: "tutor@example.org", csrf: "form-token", signedOut: false, error: "Wrong",
            demo: nil, text: text(.en))
        #expect(!plain.hasDemoAccounts && plain.demoAccounts.isEmpty && plain.demoTitle == nil)
        let html = try await render(plain)
        // The form's own token, not the frame's.
        #expect(html.contains("<input type=\"hidden\" name=\"csrf\" value=\"form-token\">"))
        #expect(html.contains("<input type=\"hidden\" name=\"next\" value=\"/registers\">"))
        #expect(html.contains("value=\"tutor@example.org\" aria-describedby=\"sign-in-error\""))
        #expect(!html.contains("demo-accounts"))
        let demo = SignInPage.make(
            next: "/", email: "", csrf: "t", signedOut: true, error: nil, demo: DemoAccounts.all, text: text(.cy))
        #expect(demo.notice == strings("signIn.signedOut", .cy))
        let demoHTML = try await render(demo)
        for account in DemoAccounts.all {
            #expect(demoHTML.contains("<td data-label=\"\(strings("signIn.email", .en))\">\(account.email)</td>"))
        }
    }

    @Test func anErrorPageSaysWhatWentWrongAndTheWayHome() async throws {
        let html = try await render(ErrorPage(title: "Something went wrong", message: "Not here", back: "Home"))
        #expect(html.contains("<p>Not here</p>") && html.contains("<a href=\"/\">Home</a>"))
    }
}

extension PageModelTests {
    static func account(
        _ id: Int, _ email: String, temporary: Bool = false, lockedUntil: Date? = nil, deactivated: Bool = false
    ) -> UserAccount {
        UserAccount(
            id: id, email: email, displayName: email, passwordHash: "", mustChangePassword: temporary,
            failedAttempts: 0, lockedUntil: lockedUntil, grants: [],
            deactivatedAt: deactivated ? Date(timeIntervalSince1970: 0) : nil)
    }

    @Test func theUsersPageStatesEachAccountAndOffersOnlyWhatApplies() async throws {
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        let office = RoleGrant(role: .attendanceAdministrator, school: mainSchool)
        let tutor = RoleGrant(role: .formTutor, school: mainSchool, registrationGroups: ["7A"])
        let page = UsersPage.make(
            accounts: [
                .init(
                    user: Self.account(3, "gone@example.org", deactivated: true), roles: [(office, "Office", true)],
                    liveTokens: 2, delegated: nil),
                .init(
                    user: Self.account(4, "office@example.org", temporary: true, lockedUntil: now + 60),
                    roles: [(office, "Office", true), (tutor, "Form tutor", true)], liveTokens: 0, delegated: true),
                .init(
                    user: Self.account(5, "smt@example.org", lockedUntil: now - 60), roles: [], liveTokens: 0,
                    delegated: false),
            ], grantable: AccessPolicy.schoolRoles, schools: [(mainSchool, "Ysgol Test")], notice: nil, now: now,
            text: { strings($0, .en, $1) })
        let en = { (key: String, values: [String: String]) in strings(key, .en, values) }
        #expect(page.users[0].state == en("users.deactivated", [:]) + ", " + en("users.tokens", ["count": "2"]))
        #expect(
            page.users[1].state
                == [en("users.temporary", [:]), en("users.waiting", [:]), en("users.delegated", [:])].joined(
                    separator: ", "))
        #expect(page.users[2].state == "")  // the lock has passed
        #expect(page.users.map(\.delegateOn) == [nil, "0", "1"])
        #expect(page.users[1].delegateLabel == en("users.undelegate", [:]))
        let html = try await render(page)
        #expect(
            html.contains("action=\"/users/3/revoke-tokens\"") && !html.contains("action=\"/users/4/revoke-tokens\""))
        #expect(!html.contains("action=\"/users/3/deactivate\"") && html.contains("action=\"/users/4/deactivate\""))
        #expect(!html.contains("action=\"/users/3/delegate\"") && html.contains("action=\"/users/5/delegate\""))
        #expect(html.contains("<input type=\"hidden\" name=\"on\" value=\"0\">"))
        // A user's only role is never offered for taking away; a head gives school roles at their school only.
        #expect(
            page.users[0].roles.map(\.removable) == [false] && page.users[1].roles.map(\.removable) == [true, true])
        #expect(html.components(separatedBy: "action=\"/users/4/roles/remove\"").count == 3)
        #expect(!html.contains("action=\"/users/3/roles/remove\""))
        #expect(!html.contains("value=\"education_lead\"") && html.contains("<option value=\"6654001\">Ysgol Test"))
    }
}

extension PageModelTests {
    @Test func theAuditPageShowsTheFiltersAsTypedAndLinksTheSameCSV() async throws {
        let event = AuditEvent(
            at: Date(timeIntervalSince1970: 1_764_000_000), actor: AuditActor("office@example.org", ip: "10.0.0.6"),
            action: "mark.amended", school: mainSchool, upn: try UPN("B801200005001"), subject: "2025-11-24 AM",
            before: "{\"code\":\"N\"}", after: "{\"code\":\"I\"}", reason: "Mother phoned")
        let page = AuditPage.make(
            filters: .init(
                upn: "B801200005001", user: "", from: "2025-11-01", to: "",
                query: [
                    ("upn", "B801200005001"), ("from", "2025-11-01"),
                ], valid: true), events: [event], names: ["office@example.org": "Siân Office"],
            pupils: [try UPN("B801200005001"): "Ann Jones"], text: text(.en), words: { strings($0, .en, $1) })
        #expect(page.csvHref == "/audit.csv?upn=B801200005001&from=2025-11-01" && page.error == nil)
        // People by their names, the moment in UK time and words (1,764,000,000 s is 24 November 2025, 16:00 GMT).
        #expect(page.events[0].about == "Ann Jones" && page.events[0].ip == "10.0.0.6")
        #expect(page.events[0].at == "Monday 24 November 2025, 16:00")
        let html = try await render(page)
        #expect(html.contains("Siân Office (10.0.0.6)") && !html.contains("office@example.org"))
        // In words: what happened and what changed, never the stored JSON.
        #expect(page.events[0].action == "Mark changed" && page.events[0].before == "Mark: N")
        #expect(html.contains("<code>Mark: I</code>") && !html.contains("&quot;code&quot;"))
        #expect(html.contains("value=\"2025-11-01\""))
        let bad = AuditPage.make(
            filters: .init(upn: "nonsense", user: "", from: "", to: "", query: [("upn", "nonsense")], valid: false),
            events: [], names: [:], pupils: [:], text: text(.cy), words: { strings($0, .cy, $1) })
        #expect(bad.error == strings("audit.badFilter", .cy) && !bad.hasEvents)
    }
}

extension PageModelTests {
    @Test func theTemplatePagesSayWhichWordingsChangedAndEditOneInItsOwnLanguage() async throws {
        let list = LetterTemplatesPage.make(
            changed: { kind, language in kind == .letter1 && language == .cy }, language: .en, text: text(.en))
        #expect(list.rows.count == LetterKind.allCases.count)
        let first = try #require(list.rows.first)
        #expect(first.languages.map(\.href) == ["/letters/templates/letter_1/cy", "/letters/templates/letter_1/en"])
        #expect(first.languages.map(\.state) == [strings("templates.changed", .en), strings("templates.shipped", .en)])
        #expect(list.placeholders.contains { $0.tag == "{{pupil_name}}" })
        let edit = LetterTemplatePage.make(
            kind: .letter2, version: .cy, source: "<p>{{pupil_name}} & co</p>", notice: nil, error: nil, language: .en,
            text: { strings($0, .en, $1) })
        #expect(edit.bodyLang == "cy" && edit.previewAction == "/letters/templates/letter_2/cy/preview")
        let html = try await render(edit)
        // The wording is shown as text to edit, escaped, never as markup.
        #expect(html.contains("lang=\"cy\" spellcheck=\"true\">&lt;p&gt;{{pupil_name}} &amp; co&lt;/p&gt;</textarea>"))
        #expect(html.contains("action=\"/letters/templates/letter_2/cy/reset\""))
    }
}

extension PageModelTests {
    static func line(_ upn: String, year: String, form: String, present: Int, absent: Int) throws -> PupilSummary {
        let pupil = Pupil(
            upn: try UPN(upn), legalSurname: "Surname", legalForename: "Name",
            dateOfBirth: LocalDate(iso: "2012-01-01")!,
            sex: .female, yearGroup: year, registrationGroup: form)
        let codes =
            Array(repeating: CodeTable.wales2010["/"]!, count: present)
            + Array(repeating: CodeTable.wales2010["O"]!, count: absent)
        return PupilSummary(pupil: pupil, summary: AttendanceSummary(codes: codes))
    }

    @Test func theSchoolPageAddsUpByYearAndFormInSchoolOrderAndNamesNoPupil() async throws {
        let year = [
            try Self.line("B801200005001", year: "10", form: "10A", present: 100, absent: 0),
            try Self.line("M80120000500A", year: "7", form: "7B", present: 80, absent: 20),
            try Self.line("J665400126001", year: "7", form: "7A", present: 95, absent: 5),
        ]
        let range = DateRange(LocalDate(iso: "2025-09-01")!, LocalDate(iso: "2025-11-28")!)!
        // The pupil in 7B left before today: in the year's figures, not on roll.
        let page = SchoolPage.make(
            school: "Ysgol Test", laestab: mainSchool, year: year, week: [], onRoll: [year[0].pupil, year[2].pupil],
            today: range.end,
            weekRange: range, yearRange: range, rules: .wrexham2025, text: { strings($0, .en, $1) })
        let whole = try #require(page.sections[0].rows.first)
        #expect(whole.label == "Ysgol Test" && whole.pupils == 2 && whole.persistent == 1)
        #expect(page.sections[1].rows.map(\.label) == ["7", "10"])  // school order, not text order
        #expect(page.sections[1].rows.map(\.pupils) == [1, 1])
        #expect(page.sections[2].rows.map(\.pupils) == [1, 0, 1])
        #expect(page.colPupils == "On roll Friday 28 November 2025")
        #expect(page.sections[2].rows.map(\.label) == ["7A", "7B", "10A"])
        #expect(page.sections[2].rows[1].band == strings("band.RED", .en) && page.sections[2].rows[1].year == "80.0%")
        let html = try await render(page)
        #expect(!html.contains("Surname") && !html.contains("B801200005001"))
        #expect(html.contains("<span class=\"band band-red\">"))
    }
}

extension PageModelTests {
    @Test func theHomePageShowsOnlyTheListsARoleHas() async throws {
        let range = DateRange(LocalDate(iso: "2025-11-24")!, LocalDate(iso: "2025-11-28")!)!
        let red = try Self.line("M80120000500A", year: "7", form: "7B", present: 80, absent: 20)
        let tutor = HomePage.make(
            name: "Mair", roles: ["Form tutor, 7B"], actionLinks: [], week: range, schools: [], continuous: nil,
            continuousDays: 10,
            pupils: .init(
                title: "Your pupils", rows: [PupilRow(red, text: { strings($0, .en) })], showSchool: false,
                showWork: false), text: { strings($0, .en, $1) })
        #expect(!tutor.hasSchools && tutor.showContinuous == nil && tutor.showPupils)
        #expect(tutor.pupils.map(\.pupilHref) == ["/pupils/M80120000500A"] && tutor.pupils[0].attendance == "80.0%")
        let html = try await render(tutor)
        #expect(html.contains("<a href=\"/pupils/M80120000500A\">"))
        // The table's headings reach the rows' labels (the partial renders inside the columns).
        #expect(html.contains("data-label=\"\(strings("column.attendance", .en))\">80.0%</td>"))
        #expect(!html.contains("continuous-absence"))
        let lead = HomePage.make(
            name: "Lead", roles: [], actionLinks: [.init(href: "/schools/6654001/actions", label: "Queue")],
            week: range, schools: [], continuous: [], continuousDays: 10, pupils: nil, text: { strings($0, .cy, $1) })
        #expect(lead.showContinuous?.hasContinuous == false && !lead.showPupils)
        let leadHTML = try await render(lead)
        #expect(
            leadHTML.contains(strings("home.noContinuous", .cy))
                && leadHTML.contains("href=\"/schools/6654001/actions\""))
    }
}

extension PageModelTests {
    @Test func aBatchPageLinksEachLettersOwnPDFAndTheWholeBatchOnlyWhenGiven() async throws {
        let made = Date(timeIntervalSince1970: 1_764_000_000)
        let upn = try UPN("B801200005001")
        func letter(_ id: Int, channel: String, pdf: Bool) -> StoredLetter {
            StoredLetter(
                id: id, upn: upn, school: mainSchool, kind: .letter1, languages: [.cy, .en], recipientNames: ["Ann"],
                recipientAddress: nil, recipientEmail: nil, channel: channel, actionID: nil, batch: "b1",
                producedBy: "office", producedAt: made, sha256: "", html: pdf ? nil : "<p>x</p>",
                pdf: pdf ? Data("%PDF".utf8) : nil)
        }
        let rows = LetterRow.rows(
            [letter(1, channel: "post", pdf: true), letter(2, channel: "email", pdf: false)], deliveries: [],
            names: [upn: "Ann Jones"], people: [:], text: { strings($0, .en, $1) })
        #expect(rows.map(\.letterPDFHref) == ["/schools/6654001/letters/1/pdf", nil])
        let page = LetterBatchPage.make(
            school: "Ysgol", laestab: mainSchool, letters: rows, counts: (needing: 1, skipped: 0, waiting: 2),
            posted: 1, emailed: 1, batchPDF: nil, pdfMissing: false, text: { strings($0, .en, $1) })
        #expect(page.needing != nil && page.skipped == nil && page.waiting != nil && page.pdfHref == nil)
        let html = try await render(page)
        // The emailed letter's row has no PDF link, and no other's either: the batch has no PDF for this reader.
        #expect(html.components(separatedBy: "/pdf\"").count == 2)
        #expect(html.contains("<a href=\"/pupils/B801200005001#letters\">Ann Jones</a>"))
    }
}

extension PageModelTests {
    /// An instant at a local wall-clock time on a day (the machine's time zone, as the pages read it).
    static func instant(_ day: LocalDate, hour: Int, minute: Int) -> Date? {
        Calendar.current.date(
            from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute))
    }

    @Test func thePrintedRegisterHasItsHeadingsCellsAndStarsForCorrections() async throws {
        let pupil = Pupil(
            upn: try UPN("B801200005001"), legalSurname: "Jones", legalForename: "Ann",
            dateOfBirth: LocalDate(iso: "2012-01-01")!, sex: .female, yearGroup: "8", registrationGroup: "8W")
        let monday = LocalDate(iso: "2025-11-24")!
        let times = try #require(
            RegisterTimes(start: TimeOfDay(hour: 8, minute: 50)!, close: TimeOfDay(hour: 9, minute: 20)!))
        let school = School(
            laNumber: 665, estabNumber: 4001, name: "Ysgol Test", phase: .secondary, am: times, pm: times)
        let page = PrintRegisterPage.make(
            school: school, group: "8W", range: DateRange(monday, monday)!, days: [monday],
            lines: [
                .init(
                    pupil: pupil, cells: [(code: "/", amended: false), (code: "I", amended: true)],
                    summary: AttendanceSummary(codes: [CodeTable.wales2010["/"]!, CodeTable.wales2010["I"]!]))
            ],
            takers: [
                SchoolSession(monday, .am): FirstMark(
                    by: "tutor@school", at: try #require(Self.instant(monday, hour: 8, minute: 55))),
                SchoolSession(monday, .pm): FirstMark(
                    by: "office@school", at: try #require(Self.instant(monday, hour: 15, minute: 0))),
            ], printedBy: "Head", printedAt: Date(timeIntervalSince1970: 1_764_000_000), codes: .wales2010,
            language: .en, names: [:], text: { strings($0, .en, $1) })
        #expect(page.csvHref == "/registers/6654001/8W/print?from=2025-11-24&to=2025-11-24&format=csv")
        let html = try await render(page)
        for heading in [page.colPossible, page.colAttended, page.colAuthorised, page.colUnauthorised] {
            #expect(!heading.isEmpty && html.contains("<th scope=\"col\">\(heading)</th>"))
        }
        #expect(html.contains("<td>/</td><td>I*</td><td>2</td><td>1</td><td>1</td><td>0</td>"))
        #expect(html.contains("<th scope=\"colgroup\" colspan=\"2\">11-24</th>"))
        // When each register was taken, and by whom; the afternoon's after it closed (09:20 in this fixture).
        #expect(html.contains("<td>08:55</td><td>15:00!</td>"))
        #expect(page.takers == "Registers taken by: office@school (1), tutor@school (1).")
    }
}

extension PageModelTests {
    @Test func theOfficeDayOffersToConfirmAReasonOnlyToWhoeverDecidesAndTheLateBookKeepsWhatWasTyped() async throws {
        let absent = OfficeDayPage.Absent(
            upn: "B801200005001", pupilHref: "/pupils/B801200005001", name: "Ann Jones", group: "8W", sessions: "AM",
            contacts: ["Mam (mother) 07700 900123 [cy]"], contactNames: ["Mam"], attempts: [],
            contactAction: "/schools/6654001/office/contact?date=2025-11-24",
            methods: [.init(value: "call", label: "Call")], outcomes: [.init(value: "reached", label: "Reached")],
            reasonCodes: [.init(code: "I", name: "Illness")])
        let proposal = OfficeDayPage.Proposal(
            text: "Call, Mam: reached → I", confirmAction: "/schools/6654001/office/confirm/3?date=2025-11-24",
            confirmLabel: "Confirm I", canConfirm: false)
        let page = OfficeDayPage.make(
            date: LocalDate(iso: "2025-11-24")!, missing: [], absent: [absent], proposals: [proposal],
            firstDayAction: nil, notice: nil, error: nil, text: { strings($0, .en, $1) })
        let html = try await render(page)
        #expect(html.contains("<li>Call, Mam: reached → I") && !html.contains("office/confirm/3"))
        #expect(html.contains("<select id=\"who-B801200005001\" name=\"contact\"><option>Mam</option></select>"))
        // How and what happened start with nothing chosen: the office says what happened (issue 33, point 11).
        for field in ["method", "outcome"] {
            #expect(
                html.contains(
                    "<select id=\"\(field)-B801200005001\" name=\"\(field)\" required><option value=\"\">"
                        + strings("office.chooseWhatHappened", .en) + "</option>"))
        }
        #expect(!html.contains("first-day-messages"))  // no email or texts set up here
        let monday = LocalDate(iso: "2025-11-24")!
        let late = LateBookPage.make(
            school: Self.school(mainSchool), date: monday, pupil: "Ann Jo", arrival: "9:4", roll: [Self.ann],
            arrivals: [
                LateArrival(
                    pupil: Self.ann, session: SchoolSession(monday, .am), code: "U", minutesLate: 45,
                    recordedBy: "office@school")
            ], notice: nil, error: "Not a time", text: { strings($0, .cy, $1) })
        let lateHTML = try await render(late)
        // What was typed stays; the list finds a pupil by name, form or UPN; the day's arrivals have their times.
        #expect(lateHTML.contains("value=\"Ann Jo\" autocomplete=\"off\" aria-describedby=\"pupil-hint late-error\""))
        #expect(lateHTML.contains("<option value=\"Ann Jones – 8W – B801200005001\"></option>"))
        #expect(lateHTML.contains("value=\"9:4\"") && lateHTML.contains("action=\"/schools/6654001/late-book\""))
        #expect(lateHTML.contains("<td data-label=\"\(strings("late.time", .cy))\">09:35</td>"))
    }
}

extension PageModelTests {
    static let ann = Pupil(
        upn: try! UPN("B801200005001"), legalSurname: "Jones", legalForename: "Ann",
        dateOfBirth: LocalDate(iso: "2012-01-01")!, sex: .female, yearGroup: "8", registrationGroup: "8W")

    /// Monday 24 November 2025 as a register's day, seen that day: the Friday before, no next day yet.
    static let schoolDay = RegisterPage.Day(
        calendar: SchoolCalendar(entries: [
            CalendarEntry(
                kind: .term, range: DateRange(LocalDate(iso: "2025-09-01")!, LocalDate(iso: "2025-12-19")!)!,
                name: "Autumn")
        ]), date: LocalDate(iso: "2025-11-24")!, today: LocalDate(iso: "2025-11-24")!)

    static func school(_ laestab: LAESTAB) -> School {
        let times = RegisterTimes(start: TimeOfDay(hour: 8, minute: 50)!, close: TimeOfDay(hour: 9, minute: 20)!)!
        return School(
            laNumber: laestab.la, estabNumber: laestab.estab, name: laestab == mainSchool ? "Ysgol Test" : "Empty",
            phase: .secondary, am: times, pm: times)
    }

    static func queued(_ id: Int, _ action: ProcedureAction, sessions: [String] = []) -> QueuedAction {
        QueuedAction(
            id: ActionID(id), pupil: ann, action: action, basis: "unauthorised", count: 10, sessions: sessions,
            dueOn: LocalDate(iso: "2025-11-24")!, status: .pending, statusChangedBy: nil, statusChangedAt: nil,
            statusNote: nil)
    }

    /// A long queue is shown fifty at a time, the filters kept on the links between pages and on every form posted
    /// from a page (issue 39: a school's whole queue on one page took most of a second to make).
    @Test func aLongQueueIsShownAPageAtATimeKeepingItsFilters() {
        let queue = (1...120).map { Self.queued($0, .letter1) }
        func page(_ number: Int) -> ActionsPage {
            let filters = ActionsPage.Filters(action: "letter_1", page: number)
            let start = (number - 1) * ActionsPage.pageSize
            return ActionsPage.make(
                school: "Ysgol Test", laestab: mainSchool, all: queue,
                shown: Array(queue.dropFirst(start).prefix(ActionsPage.pageSize)), admitted: queue.count, bands: [:],
                filters: filters, evidence: [:], powers: .init(), policy: .wrexham2025, lastRun: nil, notice: nil,
                error: nil, text: { strings($0, .en, $1) })
        }
        let first = page(1)
        #expect(first.items.count == 50 && first.showing == "Showing 1–50 of 120" && first.previousHref == nil)
        #expect(first.nextHref == "/schools/\(mainSchool)/actions?action=letter_1&page=2")
        #expect(first.items[0].completeAction.hasSuffix("/complete?action=letter_1"))
        let last = page(3)
        #expect(last.items.count == 20 && last.showing == "Showing 101–120 of 120" && last.nextHref == nil)
        #expect(last.previousHref == "/schools/\(mainSchool)/actions?action=letter_1&page=2")
        #expect(last.items[0].dismissAction.hasSuffix("/dismiss?action=letter_1&page=3"))
        // A page past the last, or a nonsense page, is read as a page there is.
        #expect(ActionsPage.Filters(page: -4).page == 1)
        #expect(page(1).showing != nil && ActionsPage.Filters(page: 10_000_000).page == 100_000)
    }

    /// The queue's year and form choices in the order people read them: 7A before 10A (issue 33, point 8).
    @Test func theQueuesFormChoicesAreInNaturalOrder() {
        func queued(_ id: Int, year: String, group: String) -> QueuedAction {
            var pupil = Self.ann
            (pupil.yearGroup, pupil.registrationGroup) = (year, group)
            let item = Self.queued(id, .letter1)
            return QueuedAction(
                id: item.id, pupil: pupil, action: item.action, basis: item.basis, count: item.count,
                sessions: item.sessions, dueOn: item.dueOn, status: item.status, statusChangedBy: nil,
                statusChangedAt: nil, statusNote: nil)
        }
        let queue = [
            queued(1, year: "10", group: "10A"), queued(2, year: "7", group: "7B"), queued(3, year: "7", group: "7A"),
        ]
        let page = ActionsPage.make(
            school: "Ysgol Test", laestab: mainSchool, all: queue, shown: queue, admitted: queue.count, bands: [:],
            filters: .init(),
            evidence: [:], powers: .init(), policy: .wrexham2025, lastRun: nil, notice: nil, error: nil,
            text: { strings($0, .en, $1) })
        #expect(page.yearOptions.map(\.value) == ["7", "10"])
        #expect(page.groupOptions.map(\.value) == ["7A", "7B", "10A"])
    }

    @Test func theQueueOffersEachActionOnlyTheFormsTheViewerMayUse() async throws {
        let queue = [
            Self.queued(1, .letter1, sessions: ["2025-11-03 AM", "2025-11-21 PM"]), Self.queued(2, .fpnEligible),
            Self.queued(3, .medicalEvidenceRequired, sessions: ["2025-11-20 AM"]), Self.queued(4, .phoneCall),
        ]
        let filters = ActionsPage.Filters(year: "8", band: "RED")
        #expect(!filters.admits(queue[0], band: .amber) && filters.admits(queue[0], band: .red))
        func page(_ powers: ActionsPage.Powers) -> ActionsPage {
            ActionsPage.make(
                school: "Ysgol Test", laestab: mainSchool, all: queue, shown: queue, admitted: queue.count,
                bands: [Self.ann.upn: .red],
                filters: filters, evidence: [3: []], powers: powers, policy: .wrexham2025, lastRun: nil, notice: nil,
                error: nil, text: { strings($0, .en, $1) })
        }
        // A form tutor: completes letters and calls, dismisses nothing, decides no penalty notice.
        let tutor = page(ActionsPage.Powers())
        #expect(tutor.items.map(\.canDismiss) == [false, false, false, false] && !tutor.canRun)
        #expect(tutor.items[1].penaltyForHead == strings("actions.fpnForHead", .en) && !tutor.items[1].canDecidePenalty)
        #expect(tutor.items[2].forHead == strings("evidence.forHead", .en))
        #expect(tutor.items[2].evidenceState == strings("evidence.missing", .en) && tutor.items[0].evidenceState == nil)
        #expect(
            tutor.items[0].sessionsText.contains("Monday 3 November 2025, morning")
                && tutor.items[0].sessionsText.contains("Friday 21 November 2025"))
        #expect(tutor.yearOptions.map(\.value) == ["8"] && tutor.yearOptions[0].selected)
        #expect(tutor.bandOptions.filter(\.selected).map(\.value) == ["RED"])
        let html = try await render(tutor)
        #expect(!html.contains("/actions/2/penalty-warning") && !html.contains("/actions/1/dismiss"))
        // A form posted from the filtered list brings the reader back to the same list.
        #expect(html.contains("action=\"/schools/6654001/actions/1/complete?year=8&amp;band=RED\""))
        // A call's outcome starts with nothing chosen: whoever logs it says what happened (issue 33, point 11).
        #expect(
            html.contains(
                "<select id=\"outcome-4\" name=\"outcome\" required><option value=\"\">"
                    + strings("office.chooseWhatHappened", .en) + "</option><option value=\"spoke\">"))
        #expect(!html.contains("id=\"outcome-1\""))
        // The head: may run the procedure, dismiss, and decide the penalty notice (a warning, or not now).
        let head = page(ActionsPage.Powers(canRun: true, canDismiss: true, canDecidePenalty: true))
        #expect(head.items.map(\.canDismiss) == [true, false, true, true] && head.items[1].canDecidePenalty)
        #expect(head.items[2].forHead == nil && head.canRun)
        let headHTML = try await render(head)
        #expect(headHTML.contains("action=\"/schools/6654001/actions/2/penalty-warning\""))
        #expect(headHTML.contains("action=\"/schools/6654001/actions/1/dismiss?year=8&amp;band=RED\""))
        #expect(headHTML.contains("<span class=\"band band-red\">"))
    }

    @Test func aRegisterShowsEachPupilsMarkOrWhatWasChosenAndOffersOnlyTheUsersCodes() async throws {
        let times = try #require(
            RegisterTimes(start: TimeOfDay(hour: 8, minute: 50)!, close: TimeOfDay(hour: 9, minute: 20)!))
        let school = StoredSchool(
            id: 1,
            school: School(
                laNumber: 665, estabNumber: 4001, name: "Ysgol Test", phase: .secondary, am: times, pm: times))
        let session = SchoolSession(LocalDate(iso: "2025-11-24")!, .am)
        var bob = Self.ann
        bob.upn = try UPN("Q801200005002")
        bob.legalForename = "Bob"
        let marked = RecordedMark(
            mark: Mark(upn: Self.ann.upn, session: session, code: "L", minutesLate: 12), recordedBy: "Tutor",
            recordedAt: Date(timeIntervalSince1970: 1_764_000_000))
        let lines = [
            RegisterLine(pupilID: 1, pupil: Self.ann, mark: marked), RegisterLine(pupilID: 2, pupil: bob, mark: nil),
        ]
        let codes = CodeTable.wales2010
        let otherCodes = [codes["I"]!, codes["M"]!]
        let first = RegisterPage.make(
            school: school, group: "8W", session: session, lines: lines, codes: codes, otherCodes: otherCodes,
            registerCodesOnly: true, asked: .init(fillPresent: true), day: Self.schoolDay, language: .en,
            text: { strings($0, .en, $1) })
        #expect(first.lines.map(\.isLate) == [true, false] && first.lines.map(\.isPresent) == [false, true])
        #expect(first.lines[0].minutes == "12" && first.lines[0].seen == "L" && first.lines[1].seen == "")
        #expect(first.lines[0].current?.hasPrefix("L – ") == true && first.taken)
        #expect(first.previousHref == "/registers/6654001/8W/2025-11-21/AM" && first.nextHref == nil)
        #expect(first.closed == nil && first.hasLines)
        // Redrawn after a refused save: the user's choice and the error stay, the other code is selected.
        let again = RegisterPage.make(
            school: school, group: "8W", session: session, lines: lines, codes: codes, otherCodes: otherCodes,
            registerCodesOnly: true,
            asked: .init(
                choices: [bob.upn: .init(kind: "other", minutes: "", other: "M", seen: "")],
                errors: [bob.upn: "Needs evidence"], summary: "Check the marks"), day: Self.schoolDay,
            language: .cy, text: { strings($0, .cy, $1) })
        #expect(again.lines[1].isOther && again.lines[1].codes.map(\.selected) == [false, true])
        let html = try await render(again)
        #expect(html.contains("<tr id=\"row-Q801200005002\" class=\"has-error\">"))
        #expect(html.contains("<p class=\"error\" id=\"error-Q801200005002\">Needs evidence</p>"))
        #expect(html.contains("<option value=\"M\" selected>M – "))
        #expect(html.contains("name=\"mark-B801200005001\" value=\"late\" checked"))
    }

    @Test func theRegistersListLinksTakingOnlyOnASchoolDayAndTheOfficeOnlyToItsManagers() async throws {
        let group = RegisterGroup(group: "8W", yearGroups: ["8"], onRoll: 30, markedAM: 30, markedPM: 12)
        let monday = LocalDate(iso: "2025-11-24")!
        let page = RegistersPage.make(
            date: monday,
            schools: [
                .init(school: Self.school(mainSchool), isSchoolDay: true, mayManage: false, groups: [(group, true)]),
                .init(
                    school: Self.school(LAESTAB(la: 665, estab: 4002)), isSchoolDay: true, mayManage: true,
                    groups: []),
            ], saved: ("8W", .pm), names: [:], text: { strings($0, .en, $1) })
        #expect(page.schools.map(\.name) == ["Ysgol Test"] && page.schools[0].office == nil)
        #expect(page.schools[0].groups[0].sessions.map(\.statusClass) == ["taken", "not-taken"])
        #expect(page.schools[0].groups[0].sessions[1].status.contains("12") && page.notice != nil)
        let html = try await render(page)
        #expect(html.contains("href=\"/registers/6654001/8W/2025-11-24/PM\""))
        #expect(!html.contains("/office"))
        let holiday = RegistersPage.make(
            date: monday,
            schools: [
                .init(school: Self.school(mainSchool), isSchoolDay: false, mayManage: true, groups: [(group, true)])
            ], saved: nil, names: [:], text: { strings($0, .cy, $1) })
        #expect(holiday.schools[0].groups[0].sessions.allSatisfy { !$0.canTake })
        #expect(holiday.schools[0].notSchoolDay != nil && holiday.schools[0].office != nil)
        let holidayHTML = try await render(holiday)
        #expect(!holidayHTML.contains("class=\"button\"") && holidayHTML.contains("/schools/6654001/office?date="))
    }

    @Test func aPupilPageShowsStaffPartsOnlyWhenGivenAndAFormerSchoolNotTheNewForm() async throws {
        let monday = LocalDate(iso: "2025-11-24")!
        let session = SchoolSession(monday, .am)
        let codes = CodeTable.wales2010
        let recent = [
            RecordedMark(
                mark: Mark(upn: Self.ann.upn, session: session, code: "I"), recordedBy: "Office",
                recordedAt: Date(timeIntervalSince1970: 1_764_000_000))
        ]
        let summary = AttendanceSummary(codes: [codes["I"]!, codes["/"]!])
        func page(leftOn: String?, staff: PupilPage.Staff?, contacts: PupilPage.Contacts?) -> PupilPage {
            PupilPage.make(
                pupil: Self.ann, upn: Self.ann.upn, school: ("Ysgol Test", mainSchool), leftOn: leftOn,
                range: DateRange(monday.academicYear.firstDay, monday)!, summary: summary, recent: recent,
                sessions: [], yearMarks: YearMarks(academicYear: monday.academicYear), patterns: [], codes: codes,
                language: .en, staff: staff, contacts: contacts, text: { strings($0, .en, $1) })
        }
        let parent = page(leftOn: nil, staff: nil, contacts: nil)
        #expect(
            parent.days.map(\.am).first?.hasPrefix("I – ") == true
                && parent.days.first?.pm == strings("pupil.noMark", .en))
        #expect(parent.year == "8" && parent.left == nil)
        let parentHTML = try await render(parent)
        #expect(
            !parentHTML.contains(strings("pupil.history", .en)) && !parentHTML.contains(strings("pupil.contacts", .en)))
        let staff = PupilPage.Staff.make(
            corrections: [], actions: [Self.queued(5, .letter1)], policy: .wrexham2025, codes: codes, language: .en,
            names: [:], text: { strings($0, .en, $1) })
        let contacts = PupilPage.Contacts.make(
            [
                Contact(
                    name: "Mam", relationship: "mother", parentalResponsibility: true, priority: 1,
                    mobile: "07700 900123", language: .cy)
            ],
            text: { strings($0, .en, $1) })
        let former = page(leftOn: "2025-11-21", staff: staff, contacts: contacts)
        #expect(former.year == nil && former.group == nil && former.left?.contains("2025-11-21") == true)
        #expect(former.staffView?.timeline.first?.hasPrefix("Monday 24 November 2025: ") == true)
        let formerHTML = try await render(former)
        #expect(formerHTML.contains("<li data-identity>Mam (Mother) 07700 900123  – Welsh</li>"))
        #expect(!formerHTML.contains("(8W)") && formerHTML.contains(strings("pupil.noHistory", .en)))
    }
}

extension PageModelTests {
    /// The day's letters as a job: a bar while they are made, plain words when it stopped, never a stack trace.
    @Test func aJobPageShowsHowFarTheLettersHaveGotAndWhyTheyStopped() async throws {
        func job(_ status: Job.Status, done: Int, total: Int, problem: String? = nil) -> Job {
            Job(
                id: 4, school: mainSchool, kind: JobPage.dueLetters, status: status, done: done, total: total,
                result: nil, problem: problem, startedBy: "office@demo.example")
        }
        let text = { (key: String, values: [String: String]) in strings(key, .en, values) }
        let reading = JobPage.make(job(.running, done: 0, total: 0), text: text)
        #expect(reading.running && !reading.determinate && reading.status == strings("job.reading", .en))
        let halfway = JobPage.make(job(.running, done: 32, total: 64), text: text)
        #expect(halfway.status == "32 of 64 letters made" && halfway.selfHref == "/schools/6654001/letters/jobs/4")
        let html = try await render(halfway)
        #expect(html.contains("<progress max=\"64\" value=\"32\""))
        #expect(html.contains("<div id=\"job\" data-running=\"yes\">"))
        let failed = JobPage.make(job(.failed, done: 3, total: 64, problem: "PDFProblem"), text: text)
        #expect(!failed.running && failed.problem == strings("job.problem.pdf", .en))
        #expect(JobPage.make(job(.failed, done: 0, total: 0, problem: "SomethingElse"), text: text).problem == nil)
        let failedHTML = try await render(failed)
        #expect(!failedHTML.contains("<progress") && !failedHTML.contains("data-running"))
        let stopped = JobPage.make(job(.interrupted, done: 3, total: 64), text: { strings($0, .cy, $1) })
        #expect(stopped.status == strings("job.interrupted", .cy) && stopped.problem == nil)
        let result = JobPage.batch(from: "2025-11-24-ab12 1 2 3")
        #expect(result?.id == "2025-11-24-ab12" && result?.needing == 1 && result?.skipped == 2 && result?.waiting == 3)
    }
}

extension PageModelTests {
    /// A lesson register lists its class as the session register lists a form: "Surname, Forename", two of one name
    /// told apart, the initials on the row.
    @Test func theLessonRegisterTellsApartTwoPupilsOfOneName() throws {
        func pupil(_ serial: Int, _ forename: String, _ surname: String, born: String) -> Pupil {
            Pupil(
                upn: UPN.make(la: 665, estab: 4001, year: 26, serial: serial), legalSurname: surname,
                legalForename: forename, dateOfBirth: LocalDate(iso: born)!, sex: .female, yearGroup: "7",
                registrationGroup: "7A")
        }
        let grace = pupil(1, "Grace", "Vaughan", born: "2014-03-04")
        let other = pupil(2, "Grace", "Vaughan", born: "2014-09-21")
        let ann = pupil(3, "Ann", "Jones", born: "2014-05-05")
        let lesson = LessonOfDay(
            id: 1, date: LocalDate(iso: "2026-11-23")!,
            lesson: TimetableLesson(
                className: "7A/Ma", subject: "Mathemateg", cycleDay: 1, period: 3,
                start: TimeOfDay(text: "11:10")!, end: TimeOfDay(text: "12:00")!, teacher: "t@school.example",
                room: nil),
            cover: nil, takenBy: nil, takenAt: nil)
        let page = LessonRegisterPage.make(
            lesson: lesson, pupils: [grace, other, ann], marks: [:], state: .open, grace: 30, mayTake: true,
            action: "/", backHref: "/lessons", names: [:], asked: LessonRegisterPage.Asked(), language: .en,
            text: { key, _ in key })
        #expect(
            page.lines.map(\.name) == [
                "Vaughan, Grace (born 4 March)", "Vaughan, Grace (born 21 September)", "Jones, Ann",
            ])
        #expect(page.lines.map(\.initials) == ["GV", "GV", "AJ"])
    }
}
