import AttendanceCore
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// The group analysis (issue 34, point 5): its figures against a count of the marks made here, the school's own
/// groups, and small groups hidden from those who must not pick out a pupil.
@Suite struct GroupWebTests {
    /// Counts of one group, made from the marks as recorded (not through `AttendanceSummary`).
    struct Count: Equatable {
        var pupils = 0
        var attended = 0
        var authorised = 0
        var unauthorised = 0
        var persistent = 0
    }

    /// Every breakdown's counts for a school over a range, counted from each pupil's recorded marks on the days
    /// they were on the school's roll.
    static func independentCounts(_ store: Store, _ school: LAESTAB, _ range: DateRange, groups: [SchoolGroup])
        async throws -> [String: Count]
    {
        var pupils: [UPN: (Pupil, Count)] = [:]
        for entry in try await store.reference.roll(of: school, in: range) {
            var count = pupils[entry.pupil.upn]?.1 ?? Count()
            for recorded in try await store.registers.marks(of: entry.pupil.upn, in: entry.onRoll) {
                switch store.codes[recorded.mark.code]?.category {
                case .present, .approvedActivity: count.attended += 1
                case .authorised: count.authorised += 1
                case .unauthorised: count.unauthorised += 1
                case .notCounted, nil: break
                }
            }
            pupils[entry.pupil.upn] = (entry.pupil, count)
        }
        var counts: [String: Count] = [:]
        for (pupil, count) in pupils.values {
            let possible = count.attended + count.authorised + count.unauthorised
            let absent = count.authorised + count.unauthorised
            var keys = [
                "school/", "year/\(pupil.yearGroup)", "sex/\(pupil.sex.rawValue)",
                "fsm/\(pupil.freeSchoolMeals ? "yes" : "no")", "lac/\(pupil.lookedAfter ? "yes" : "no")",
                "aln/\(pupil.additionalLearningNeeds ? "yes" : "no")",
            ]
            keys += groups.filter { $0.members.contains(pupil.upn) }.map { "group/\($0.name)" }
            for key in keys {
                counts[key, default: Count()].pupils += 1
                counts[key, default: Count()].attended += count.attended
                counts[key, default: Count()].authorised += count.authorised
                counts[key, default: Count()].unauthorised += count.unauthorised
                if possible > 0 && absent * 10 >= possible { counts[key, default: Count()].persistent += 1 }
            }
        }
        return counts
    }

    /// The CSV's lines by "breakdown/group".
    static func csvLines(_ text: String) -> [String: [String]] {
        var lines: [String: [String]] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            lines["\(cells[3])/\(cells[4])"] = cells
        }
        return lines
    }

    @Test func everyBreakdownAgreesWithACountOfTheMarks() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            #expect(
                try await head.post(SiteURL.school(.groupAnalysis, mainSchool), ["name": "Nurture"]).status == .seeOther
            )
            let roll = try await store.reference.onRoll(mainSchool, on: testToday)
            let chosen = roll.prefix(7)
            var form: [String: String] = ["group": "Nurture", "form": ""]
            for pupil in chosen {
                form["shown-\(pupil.upn.value)"] = "1"
                form["member-\(pupil.upn.value)"] = "1"
            }
            #expect(try await head.post(SiteURL.school(.groupMembers, mainSchool), form).status == .seeOther)
            // The whole year so far, and the default period (the half-term to date).
            let year = DateRange.yearToDate(testToday)
            let half = try #require(
                try await store.reference.calendar(for: try await store.reference.requireSchool(mainSchool).school)
                    .currentHalfTermStart(on: testToday))
            for range in [year, DateRange(half, testToday)!] {
                let groups = try await store.groups.groups(of: mainSchool)
                #expect(groups.map(\.name) == [DemoLoader.groupName, "Nurture"])
                #expect(groups[1].members == Set(chosen.map(\.upn)) && groups[0].members.count == 6)
                let expected = try await Self.independentCounts(store, mainSchool, range, groups: groups)
                let csv = try await head.get(
                    SiteURL.school(
                        .groupAnalysisCSV, mainSchool, query: ["from": range.start.iso, "to": range.end.iso]))
                #expect(csv.status == .ok)
                let lines = Self.csvLines(csv.body.string)
                // Every line the count found is in the file with the same figures; the head sees small ones too.
                for (key, count) in expected {
                    let cells = try #require(lines[key], "\(key)")
                    #expect(Int(cells[5]) == count.pupils, "\(key)")
                    #expect(Int(cells[7]) == count.attended, "\(key)")
                    #expect(Int(cells[8]) == count.authorised && Int(cells[9]) == count.unauthorised, "\(key)")
                    #expect(Int(cells[11]) == count.persistent, "\(key)")
                    #expect(cells[13] == "" && cells[12] == (count.pupils < 5 ? "yes" : ""), "\(key)")
                }
                #expect(expected["school/"]!.pupils > 30 && expected["group/Nurture"]!.pupils == 7)
            }
            let page = try await head.get(SiteURL.school(.groupAnalysis, mainSchool)).body.string
            #expect(page.contains("<svg") && page.contains("role=\"img\"") && page.contains("By free school meals"))
            #expect(page.contains("Nurture") && page.contains("id=\"make-group\""))
        }
    }

    /// A governor and the school improvement adviser read the school's aggregates and nothing that picks out a pupil.
    @Test(arguments: [Role.governor, .schoolImprovementAdviser])
    func aSmallGroupIsHiddenFromGovernorsAndAdvisersInThePageAndTheFile(_ reader: Role) async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            _ = try await head.post(SiteURL.school(.groupAnalysis, mainSchool), ["name": "Mentoring"])
            let three = try await store.reference.onRoll(mainSchool, on: testToday).prefix(3)
            try await store.groups.setMembers(
                mainSchool, group: "Mentoring", shown: Set(three.map(\.upn)), members: Set(three.map(\.upn)),
                today: testToday, by: AuditActor("head@test"))
            let headPage = try await head.get(SiteURL.school(.groupAnalysis, mainSchool)).body.string
            #expect(headPage.contains("Mentoring <span class=\"small-group\">(fewer than 5 pupils)</span>"))
            var governor = try await Browser.signedIn(app, as: reader)
            let page = try await governor.get(SiteURL.school(.groupAnalysis, mainSchool))
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(!html.contains("id=\"make-group\"") && !html.contains("fewer than 5 pupils)"))
            let row = try #require(html.range(of: "<th scope=\"row\">Mentoring</th>"))
            let rest = html[row.upperBound...].prefix(600)
            #expect(rest.contains("data-label=\"Pupils\">hidden</td>") && !rest.contains("%</td>"))
            // The same lines are blank in the governor's file, and every line the analysis hides is.
            let range = DateRange(
                try #require(
                    try await store.reference.calendar(
                        for: try await store.reference.requireSchool(mainSchool).school
                    ).currentHalfTermStart(on: testToday)), testToday)!
            let analysis = try await store.groups.analysis(mainSchool, in: range)
            let lines = Self.csvLines(
                try await governor.get(SiteURL.school(.groupAnalysisCSV, mainSchool)).body.string)
            #expect(lines["group/Mentoring"]?[13] == "yes" && lines["group/Mentoring"]?[5] == "")
            for section in analysis.sections {
                for line in section.lines {
                    let cells = try #require(lines["\(section.breakdown.rawValue)/\(line.key)"])
                    #expect((cells[13] == "yes") == line.isSuppressed, "\(section.breakdown) \(line.key)")
                    #expect(line.isSuppressed ? cells[5...11].allSatisfy(\.isEmpty) : !cells[5].isEmpty)
                    #expect(cells[12] == "", "a governor's file never says which lines are small")
                }
            }
            // The API says the same: the hidden lines' figures are null, and nothing says which lines are small.
            let api = try await governor.get(SiteURL.apiSchoolGroups.path(["laestab": mainSchool.description]))
            #expect(api.status == .ok)
            let body = try #require(
                try JSONSerialization.jsonObject(with: Data(api.body.readableBytesView)) as? [String: Any])
            let apiLines = try #require(body["lines"] as? [[String: Any]])
            for section in analysis.sections {
                for line in section.lines {
                    let found = try #require(
                        apiLines.first {
                            $0["breakdown"] as? String == section.breakdown.rawValue
                                && $0["group"] as? String == line.key
                        })
                    #expect(found["suppressed"] as? Bool == line.isSuppressed, "\(section.breakdown) \(line.key)")
                    #expect((found["pupils"] is NSNull) == line.isSuppressed && found["small"] is NSNull)
                }
            }
            let headsAPI = try await head.get(SiteURL.apiSchoolGroups.path(["laestab": mainSchool.description])).body
                .string
            #expect(
                headsAPI.contains(#""group":"Mentoring","persistent_absentees":"#)
                    && headsAPI.contains(#""small":true"#))
            // Neither the governor nor a form tutor may make a group or change one.
            #expect(
                try await governor.post(SiteURL.school(.groupAnalysis, mainSchool), ["name": "Mine"]).status
                    == .forbidden)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            #expect(
                try await tutor.get(SiteURL.school(.groupMembers, mainSchool, query: ["group": "Mentoring"])).status
                    == .forbidden)
        }
    }

    @Test func makingAGroupRefusesWhatCannotBeKeptAndTwoClicksMakeOne() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let empty = try await head.post(SiteURL.school(.groupAnalysis, mainSchool), ["name": "   "])
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("Give the group a name."))
            let long = try await head.post(
                SiteURL.school(.groupAnalysis, mainSchool), ["name": String(repeating: "x", count: 41)])
            #expect(long.status == .unprocessableEntity)
            // Two clicks at once: one group, and one refusal that says why.
            func make(_ typed: String) async -> String? {
                try? await store.groups.makeGroup(mainSchool, name: typed, by: AuditActor("a@test"))
            }
            async let first = make("Reading  club")
            async let second = make("Reading club")
            let outcomes = await [first, second]
            #expect(outcomes.compactMap { $0 } == ["Reading club"])
            let taken = try await head.post(SiteURL.school(.groupAnalysis, mainSchool), ["name": "Reading club"])
            #expect(taken.status == .conflict && taken.body.string.contains("already has a group of that name"))
            // A pupil of another school cannot join; nothing is written.
            let elsewhere = try #require(
                try await store.reference.schools().first { $0.school.laestab != mainSchool })
            let stranger = try #require(
                try await store.reference.onRoll(elsewhere.school.laestab, on: testToday).first)
            let refused = try await head.post(
                SiteURL.school(.groupMembers, mainSchool),
                [
                    "group": "Reading club", "form": "", "shown-\(stranger.upn.value)": "1",
                    "member-\(stranger.upn.value)": "1",
                ])
            #expect(refused.status == .unprocessableEntity)
            #expect(try await store.groups.groups(of: mainSchool).first { $0.name == "Reading club" }?.members == [])
            // A group that does not exist is not found.
            #expect(
                try await head.get(SiteURL.school(.groupMembers, mainSchool, query: ["group": "Nothing"])).status
                    == .notFound)
            // The members page ticks pupils in and out, and the audit trail says who did it.
            let page = try await head.get(SiteURL.school(.groupMembers, mainSchool, query: ["group": "Reading club"]))
            #expect(page.status == .ok && page.body.string.contains("No pupil is in the group yet."))
            let pupil = try #require(try await store.reference.onRoll(mainSchool, on: testToday).first)
            _ = try await head.post(
                SiteURL.school(.groupMembers, mainSchool),
                [
                    "group": "Reading club", "form": pupil.registrationGroup, "shown-\(pupil.upn.value)": "1",
                    "member-\(pupil.upn.value)": "1",
                ])
            _ = try await head.post(
                SiteURL.school(.groupMembers, mainSchool),
                ["group": "Reading club", "form": pupil.registrationGroup, "shown-\(pupil.upn.value)": "1"])
            // Two saves of the same tick at once: one membership, one audit line.
            let other = try #require(try await store.reference.onRoll(mainSchool, on: testToday).last)
            func tick() async throws {
                try await store.groups.setMembers(
                    mainSchool, group: "Reading club", shown: [other.upn], members: [other.upn], today: testToday,
                    by: AuditActor("office@test"))
            }
            async let one: Void = tick()
            async let two: Void = tick()
            _ = try await (one, two)
            #expect(
                try await store.auditTrail.search(AuditQuery()).filter {
                    $0.action == "group.joined" && $0.actor == "office@test"
                }.count == 1)
            let audit = try await store.auditTrail.search(AuditQuery()).filter {
                $0.action.hasPrefix("group.") && !$0.actor.hasPrefix("demo:") && $0.actor != "office@test"
            }
            #expect(audit.map(\.action).sorted() == ["group.joined", "group.left", "group.made"])
            #expect(
                try await store.groups.groups(of: mainSchool).first { $0.name == "Reading club" }?.members == [
                    other.upn
                ])
        }
    }
}

/// Welsh Government's weekly management information (issue 34, point 8): the Education Lead's page and CSV.
@Suite struct WeeklyReturnWebTests {
    @Test func theReturnsTotalsEqualEachSchoolPagesWeeklyFigure() async throws {
        try await withWebApp { app, store in
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let csv = try await lead.get(SiteURL.weeklyReturnCSV.path())
            #expect(csv.status == .ok)
            let week = SchoolWeek.of(testToday)
            var wholes: [String: [Int]] = [:]
            var parts: [String: [String: [Int]]] = [:]
            for line in csv.body.string.split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                #expect(cells[1] == week.start.iso && cells[2] == week.end.iso)
                let figures = cells[5...].compactMap { Int($0) }
                if cells[3] == "all" {
                    wholes[cells[0]] = figures
                } else {
                    let sum = parts[cells[0], default: [:]][cells[3]] ?? Array(repeating: 0, count: figures.count)
                    parts[cells[0], default: [:]][cells[3]] = zip(sum, figures).map(+)
                }
            }
            let schools = try await store.reference.schools()
            #expect(wholes.count == schools.count && schools.count == 3)
            for school in schools {
                let laestab = school.school.laestab
                let whole = try #require(wholes[laestab.description])
                // Each breakdown shares out the school's week.
                #expect(parts[laestab.description]?.count == 3)
                for (breakdown, sum) in parts[laestab.description] ?? [:] { #expect(sum == whole, "\(breakdown)") }
                // The school page's "This week" for the whole school is the return's figure.
                let page = try await lead.get(SiteURL.school(laestab)).body.string
                let possible = whole[1]
                let attended = whole[2]
                let tenths = possible > 0 ? (attended * 2000 + possible) / (2 * possible) : nil
                #expect(possible > 0)
                #expect(
                    page.contains("data-label=\"This week\">\(Tenths.percentText(tenths))</td>"),
                    "\(laestab): \(Tenths.percentText(tenths))")
            }
            // The page gives the authority's week and each school's; a week not begun is refused; a head may not.
            let html = try await lead.get(SiteURL.weeklyReturn.path()).body.string
            #expect(html.contains("id=\"weekly-schools\"") && html.contains("Weekly attendance for Welsh Government"))
            #expect(
                try await lead.get(SiteURL.weeklyReturn.path(query: [("week", "2099-01-05")])).status == .badRequest)
            #expect(
                try await lead.get(SiteURL.weeklyReturn.path(query: [("week", "2026-02-30")])).status == .badRequest)
            var head = try await Browser.signedIn(app, as: .headTeacher)
            #expect(try await head.get(SiteURL.weeklyReturnCSV.path()).status == .forbidden)
        }
    }
}

/// The authority's dashboard and the figures shared with every school (issue 34, point 7).
@Suite struct DashboardWebTests {
    /// A PDF's text, by pdftotext.
    static func pdfText(_ response: TestingHTTPResponse) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID()).pdf")
        try Data(response.body.readableBytesView).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let text = try ChildProcess.output(["/usr/bin/pdftotext", file.path, "-"])
        // A name wrapped in its cell reads as one.
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func theDashboardPrintsAsAPDFWithEverySchoolAndTheChartsNumbers() async throws {
        try await withWebApp { app, store in
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let html = try await lead.get(SiteURL.dashboard.path()).body.string
            #expect(html.contains("href=\"/authority/dashboard.pdf?sort=attendance\""))
            let pdf = try await lead.get(SiteURL.dashboardPDF.path(query: [("sort", "name")]))
            #expect(pdf.status == .ok && pdf.headers.contentType?.subType == "pdf")
            let text = try Self.pdfText(pdf)
            #expect(text.contains("The authority's schools") && text.contains("The figures week by week") == false)
            let schools = try await store.reference.schools().map(\.school.name).sorted()
            let positions = schools.map { text.range(of: $0)?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil }, "\(schools)")
            // In the order asked for (by name), and the trend's numbers are printed, not folded away.
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
            #expect(!text.contains("Choose a column's heading") && text.contains("%"))
            let audit = try await store.auditTrail.search(AuditQuery()).filter { $0.subject == "dashboard.pdf" }
            #expect(audit.count == 1)
        }
    }

    /// The attendance cells of the schools' table, in the order shown.
    static func figures(_ html: String) -> [String] {
        guard let start = html.range(of: "id=\"schools\""),
            let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex)
        else { return [] }
        let table = String(html[start.upperBound..<end.lowerBound])
        let regex = try! NSRegularExpression(pattern: #"data-label="Attendance">([0-9.]+%|–)</td>"#)
        return regex.matches(in: table, range: NSRange(table.startIndex..., in: table)).compactMap {
            Range($0.range(at: 1), in: table).map { String(table[$0]) }
        }
    }

    @Test func theLeadSortsEverySchoolAndEachFigureIsTheSchoolPagesOwn() async throws {
        try await withWebApp { app, store in
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let page = try await lead.get(SiteURL.dashboard.path())
            #expect(page.status == .ok)
            let html = page.body.string
            let shown = Self.figures(html)
            #expect(shown.count == 3)
            #expect(shown.compactMap { Double($0.dropLast()) } == shown.compactMap { Double($0.dropLast()) }.sorted())
            #expect(html.contains("aria-sort=\"ascending\"") && html.contains("id=\"authority-trend-title\""))
            #expect(html.contains("id=\"schools-spread-title\""))
            // Each school's figure is its own page's year to date.
            for school in try await store.reference.schools() {
                let own = try await lead.get(SiteURL.school(school.school.laestab)).body.string
                let figure = try #require(
                    own.range(of: #"data-label="School year to date">[0-9.]+%"#, options: .regularExpression).map {
                        String(own[$0].split(separator: ">")[1])
                    })
                #expect(html.contains("data-label=\"Attendance\">\(figure)</td>"), "\(school.school.laestab)")
                #expect(html.contains("href=\"\(SiteURL.school(school.school.laestab))\""))
            }
            let reversed = try await lead.get(
                SiteURL.dashboard.path(query: [("sort", "attendance"), ("order", "desc")]))
            #expect(Self.figures(reversed.body.string) == shown.reversed())
            let byName = try await lead.get(SiteURL.dashboard.path(query: [("sort", "name")])).body.string
            #expect(byName.contains("aria-sort=\"ascending\"><a href=\"/authority?sort=name&amp;order=desc\""))
            #expect(try await lead.get(SiteURL.dashboard.path(query: [("sort", "nothing")])).status == .badRequest)
            let csv = try await lead.get(SiteURL.dashboardCSV.path()).body.string
            #expect(csv.split(separator: "\n").count == 4 && csv.hasPrefix("laestab,school,phase,from,to,pupils"))
            // A head sees every school's figures, their own marked and the only one to open.
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let compare = try await head.get(SiteURL.school(.compareSchools, mainSchool)).body.string
            #expect(Self.figures(compare).count == 3 && compare.contains("class=\"own-school\""))
            #expect(compare.contains("Schools of the same phase"))
            let others = try await store.reference.schools().filter { $0.school.laestab != mainSchool }
            for other in others { #expect(!compare.contains("href=\"\(SiteURL.school(other.school.laestab))\"")) }
            #expect(try await head.get(SiteURL.dashboard.path()).status == .forbidden)
        }
    }
}

/// The school's page (issue 34, point 2): the year week by week against the target and last year, the persistent
/// absence rate, forms opening their registers, and the procedure's activity this term as counts.
@Suite struct SchoolPageWebTests {
    @Test func theSchoolPageShowsTheTrendTheRateAndTheTermsActivityCountedFromTheRecord() async throws {
        try await withWebApp { app, store in
            try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let page = try await head.get(SiteURL.school(mainSchool)).body.string
            #expect(page.contains("id=\"school-trend-title\"") && page.contains("polyline class=\"series this-year\""))
            #expect(page.contains("polyline class=\"series last-year\""), "the demo has last year's registers")
            #expect(page.contains("data-label=\"Share persistently absent\""))
            // Forms open their printed registers for the head.
            let form = try #require(
                try await store.reference.onRoll(mainSchool, on: testToday).first?.registrationGroup)
            #expect(page.contains("href=\"\(SiteURL.printRegister(mainSchool, group: form))\""))
            // Each step's counts are the record's own, counted here with SQL.
            let school = try await store.reference.requireSchool(mainSchool)
            let calendar = try await store.reference.calendar(for: school.school)
            let term = try #require(calendar.term(containing: testToday)).range
            let rows = try await store.sql.raw(
                """
                SELECT action, status, COUNT(*) AS n FROM procedure_actions WHERE school_id = \(bind: school.id)
                AND due_on >= \(bind: term.start.iso) AND due_on <= \(bind: testToday.iso) GROUP BY action, status
                """
            ).all()
            #expect(!rows.isEmpty)
            let activity = try #require(page.range(of: "id=\"activity\""))
            let table = String(page[activity.upperBound...].prefix(while: { $0 != "§" }))
            let catalogue = try Strings(directory: WebServer.resources.appendingPathComponent("strings"))
            for row in rows where try row.decode(column: "status", as: String.self) == "pending" {
                let action = try #require(ProcedureAction(rawValue: try row.decode(column: "action", as: String.self)))
                let label = catalogue(action.labelKey, .en, action.wordValues(.wrexham2025))
                let count = try row.decode(column: "n", as: Int.self)
                #expect(
                    table.contains(
                        "<th scope=\"row\">\(label)</th><td class=\"number\" data-label=\"Waiting\">\(count)</td>"),
                    "\(action)")
            }
            // The page's tables as CSV: the school's line is the page's year to date; year groups and forms share
            // out the school; the weeks add up to the year.
            let csv = try await head.get(SiteURL.school(.schoolCSV, mainSchool)).body.string
            let lines = csv.split(separator: "\n").dropFirst().map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            let whole = try #require(lines.first { $0[1] == "school" })
            #expect(page.contains("data-label=\"School year to date\">\(whole[10])%"))
            for scope in ["year_group", "form", "week"] {
                let parts = lines.filter { $0[1] == scope }
                #expect(!parts.isEmpty, "\(scope)")
                for column in 6...9 {
                    #expect(
                        parts.compactMap { Int($0[column]) }.reduce(0, +) == Int(whole[column]), "\(scope) \(column)")
                }
                if scope != "week" { #expect(parts.compactMap { Int($0[5]) }.reduce(0, +) == Int(whole[5])) }
            }
            // A governor reads the same counts and no form's register.
            var governor = try await Browser.signedIn(app, as: .governor)
            let theirs = try await governor.get(SiteURL.school(mainSchool)).body.string
            #expect(
                theirs.contains("id=\"activity\"") && !theirs.contains(SiteURL.printRegister(mainSchool, group: form)))
        }
    }
}

/// The governors' termly report (issue 34, point 6): aggregates only, in page and PDF.
@Suite struct GovernorsReportWebTests {
    /// The governor and the school improvement adviser read the same report: counts, never a name.
    @Test(arguments: [Role.governor, .schoolImprovementAdviser])
    func theGovernorReadsTheReportAndFindsNoPupilsNameInThePageOrThePDF(_ reader: Role) async throws {
        try await withWebApp { app, store in
            try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
            // A small group of the school's own: hidden in the report whoever reads it.
            let three = try await store.reference.onRoll(mainSchool, on: testToday).prefix(3)
            try await store.groups.makeGroup(mainSchool, name: "Mentoring", by: AuditActor("head@test"))
            try await store.groups.setMembers(
                mainSchool, group: "Mentoring", shown: Set(three.map(\.upn)), members: Set(three.map(\.upn)),
                today: testToday, by: AuditActor("head@test"))
            // A rewards draw this term: the report counts its winners and names none.
            let term = try #require(DateRange(LocalDate(iso: "2026-09-01")!, testToday))
            try await store.rewards.draw(
                mainSchool, reward: .fullAttendance, span: .term, period: term, entrants: three.map(\.upn), wanted: 2,
                seed: 7, by: AuditActor("head@test"))
            var governor = try await Browser.signedIn(app, as: reader)
            let response = try await governor.get(SiteURL.school(.governorsReport, mainSchool))
            #expect(response.status == .ok)
            let page = response.body.string
            // Not yet checked: said first.
            #expect(page.contains("id=\"data-warning\"") && page.contains("The data check has not been run"))
            #expect(page.contains("This term so far") && page.contains("The same weeks last year"))
            #expect(page.contains("prize draws made: 1, winners: 2"))
            let row = try #require(page.range(of: "<th scope=\"row\">Mentoring</th>"))
            #expect(page[row.upperBound...].prefix(200).contains("data-label=\"Pupils\">hidden</td>"))
            let pupils = try await store.reference.roll(of: mainSchool, in: .yearToDate(testToday)).map(\.pupil)
            #expect(pupils.count > 30)
            for pupil in pupils {
                #expect(!page.contains(pupil.displayName) && !page.contains(pupil.upn.value), "\(pupil.upn)")
            }
            // The PDF says the same, with no name either.
            let pdf = try await governor.get(SiteURL.school(.governorsReportPDF, mainSchool))
            #expect(pdf.status == .ok && pdf.headers.contentType?.subType == "pdf")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("governors-\(UUID()).pdf")
            try Data(pdf.body.readableBytesView).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let text = try ChildProcess.output(["/usr/bin/pdftotext", file.path, "-"])
            #expect(text.contains("Attendance report for governors") && text.contains("Mentoring"))
            // The small group's figures are hidden in the PDF as on the page.
            let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(words.contains("Mentoring hidden"))
            // Last term's report, by its own link; a school year is not a term.
            let last = try await governor.get(
                SiteURL.school(.governorsReport, mainSchool, query: ["period": "last-term"]))
            #expect(last.status == .ok && last.body.string.contains("Last term"))
            #expect(last.body.string.contains("governors-report.pdf?period=last-term"))
            #expect(
                try await governor.get(SiteURL.school(.governorsReport, mainSchool, query: ["period": "year"])).status
                    == .badRequest)
            for pupil in pupils { #expect(!text.contains(pupil.displayName), "\(pupil.upn)") }
        }
    }
}
