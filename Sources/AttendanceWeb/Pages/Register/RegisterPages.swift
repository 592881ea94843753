import AttendanceCore
import AttendanceStore

/// The registers a user may see on a day, school by school, with whether each is taken.
struct RegistersPage: PageModel {
    static let template = "registers"

    struct Session: Sendable {
        let href: String
        /// "Take morning register", or once taken "Morning register taken — change".
        let takeLabel: String
        let taken: Bool
        let status: String
        let statusClass: String
        /// Only on a school day, and only for whoever may take this register.
        let canTake: Bool
        /// Who recorded the first mark and when; and whether that was after the register closed.
        let takenBy: String?
        let late: String?
    }

    struct Group: Sendable {
        let group: String
        let sessions: [Session]
        let printHref: String
        let displayHref: String
    }

    /// The office's links, for whoever manages the school's attendance.
    struct Office: Sendable {
        let officeHref: String
        let lateBookHref: String
    }

    /// A school's part of the page.
    struct Section: Sendable {
        let name: String
        let laestab: String
        let groups: [Group]
        let notSchoolDay: String?
        let office: Office?
    }

    /// A school's registers as the store has them, with what the viewer may do.
    struct Registers: Sendable {
        let school: AttendanceCore.School
        let isSchoolDay: Bool
        let mayManage: Bool
        let groups: [(group: RegisterGroup, mayTake: Bool)]
    }

    let title: String
    let notice: String?
    let date: String
    let registersAction: String
    let otherDay: String
    let show: String
    let none: String
    let schools: [Section]
    let printLabel: String
    let officeLabel: String
    let lateBookLabel: String

    /// - Parameter saved: the register just saved, if any.
    static func make(
        date: LocalDate, schools: [Registers], saved: (group: String, half: SessionHalf?)?, names: [String: String],
        text: @escaping (String, [String: String]) -> String
    ) -> RegistersPage {
        let plain = { (key: String) in text(key, [:]) }
        func sessionName(_ half: SessionHalf) -> String { plain("session.\(half.rawValue)") }
        let shown = schools.filter { !$0.groups.isEmpty }.map { registers in
            let school = registers.school
            return Section(
                name: school.name, laestab: school.laestab.description,
                groups: registers.groups.map { group, mayTake in
                    Group(
                        group: group.group,
                        sessions: SessionHalf.allCases.map { half in
                            session(
                                group, SchoolSession(date, half), school: school,
                                canTake: mayTake && registers.isSchoolDay, names: names, text: text)
                        },
                        printHref: SiteURL.printRegister(school.laestab, group: group.group, query: ["to": date.iso]),
                        displayHref: SiteURL.classroomDisplay(school.laestab, group: group.group))
                },
                notSchoolDay: registers.isSchoolDay
                    ? nil : text("register.notSchoolDay", ["date": DateText.day(date, text)]),
                office: registers.mayManage
                    ? Office(
                        officeHref: SiteURL.school(.office, school.laestab, query: ["date": date.iso]),
                        lateBookHref: SiteURL.school(.lateBook, school.laestab)) : nil)
        }
        return RegistersPage(
            title: text("registers.title", ["date": DateText.day(date, text)]),
            notice: saved.map {
                text("registers.saved", ["group": $0.group, "session": $0.half.map(sessionName) ?? ""])
            }, date: date.iso,
            registersAction: SiteURL.registers.path(), otherDay: plain("registers.otherDay"),
            show: plain("registers.show"), none: plain("registers.none"), schools: shown,
            printLabel: plain("registers.print"), officeLabel: plain("registers.office"),
            lateBookLabel: plain("registers.lateBook"))
    }

    /// One register's line: taken or how far, by whom and when, and whether after it closed.
    static func session(
        _ group: RegisterGroup, _ session: SchoolSession, school: AttendanceCore.School, canTake: Bool,
        names: [String: String], text: (String, [String: String]) -> String
    ) -> Session {
        let name = text("session.\(session.half.rawValue)", [:])
        let taken = group.isTaken(session.half)
        let times = school.times(for: session.half)
        let first = group.first(session.half).map { mark in
            let (day, time) = UKTime.parts(mark.at)
            return (mark, day, time)
        }
        return Session(
            href: SiteURL.register(school.laestab, group: group.group, date: session.date, half: session.half),
            takeLabel: text(taken ? "registers.change" : "registers.take", ["session": name]), taken: taken,
            status: name + ": "
                + (taken
                    ? text("registers.taken", [:])
                    : text(
                        "registers.notTaken",
                        ["marked": String(group.marked(session.half)), "roll": String(group.onRoll)])),
            statusClass: taken ? "taken" : "not-taken", canTake: canTake,
            takenBy: first.map { mark, day, time in
                text(
                    "registers.takenBy",
                    [
                        "name": RecordWords.actor(mark.by, names: names, text: text),
                        "time": day == session.date ? time.description : "\(DateText.day(day, text)) \(time)",
                    ])
            },
            late: first.flatMap { _, day, time in
                RegisterRules.takenLate(session, times: times, recorded: (day, time))
                    ? text("registers.takenLate", ["close": times.close.description]) : nil
            })
    }
}

/// One register to take: each pupil on roll with their mark (or what was chosen), and the choices the user has.
struct RegisterPage: PageModel {
    static let template = "register"

    /// How a line is marked on the form.
    enum Kind: String, Sendable {
        case present, late, absent, other
    }

    struct CodeOption: Sendable {
        let code: String
        let name: String
        let selected: Bool
    }

    struct Line: Sendable {
        let upn: String
        let pupilHref: String
        let name: String
        let initials: String
        /// The code the page was drawn with, sent back so that a save can tell if someone else changed it.
        let seen: String
        let minutes: String
        let minutesLabel: String
        let otherCodeLabel: String
        let codes: [CodeOption]
        let current: String?
        /// A planned absence (a form tutor does not overwrite it).
        let planned: String?
        let isPresent: Bool
        let isLate: Bool
        let isAbsent: Bool
        let isOther: Bool
        let error: String?
    }

    /// Where the register's day stands in the school's calendar, for moving between days.
    struct Day: Sendable {
        let isSchoolDay: Bool
        let isFuture: Bool
        let previous: LocalDate?
        /// The next school day, when it is not after today.
        let next: LocalDate?
        /// The register is locked (its week is over and the grace has passed): the last day it was open.
        let lockedAfter: LocalDate?

        init(calendar: SchoolCalendar, date: LocalDate, today: LocalDate, lockGrace: Int = 1) {
            isSchoolDay = calendar.isSchoolDay(date)
            isFuture = date > today
            previous = calendar.schoolDay(before: date)
            next = calendar.schoolDay(after: date).flatMap { $0 <= today ? $0 : nil }
            let lastOpen = RegisterLock.lastOpenDay(for: date, calendar: calendar, grace: lockGrace)
            lockedAfter = today > lastOpen ? lastOpen : nil
        }
    }

    /// What the form asked for, for redrawing it: the user's choices, and an error per pupil.
    struct Asked: Sendable {
        var choices: [UPN: RegisterController.Choice] = [:]
        var errors: [UPN: String] = [:]
        var fillPresent = false
        var summary: String? = nil
        var conflicts: [String] = []
        var reason = ""
    }

    let title: String
    let closes: String
    /// Why this register cannot be taken (not a school day; a day still to come for a form tutor); then no form.
    let closed: String?
    /// For staff who enter planned absences ahead: this day has not come yet.
    let ahead: String?
    /// The register is locked: what that means for this reader (and, for a form tutor, who to ask).
    let locked: String?
    /// Locked for this reader: the marks are shown, and nothing can be changed.
    let readOnly: Bool
    let previousHref: String?
    let previousLabel: String?
    let nextHref: String?
    let nextLabel: String?
    let dayAction: String
    let dayLabel: String
    let date: String
    let showDay: String
    let keysHint: String
    let errorSummary: String?
    let hasConflicts: Bool
    let conflicts: [String]
    let conflictsIntro: String
    let empty: String?
    let hasLines: Bool
    let lines: [Line]
    let allPresent: String
    let allPresentHint: String
    let action: String
    let pupilLabel: String
    let markLabel: String
    let presentLabel: String
    let lateLabel: String
    let absentLabel: String
    let otherLabel: String
    let presentCode: String
    let absentCode: String
    let chooseLabel: String
    /// Whether this user has any code besides present, late and absent (a form tutor has none).
    let offersOther: Bool
    let historyLabel: String
    /// Once any mark is recorded, a change needs a reason.
    let taken: Bool
    let reasonLabel: String
    let reasonHint: String
    let reason: String
    let save: String

    /// - Parameters:
    ///   - otherCodes: the codes this user may choose besides present, late and no reason yet.
    ///   - registerCodesOnly: the user is only a form tutor here (planned absences are shown, not offered).
    static func make(
        school: StoredSchool, group: String, session: SchoolSession, lines: [RegisterLine], codes: CodeTable,
        otherCodes: [AttendanceCode], registerCodesOnly: Bool, asked: Asked, day: Day,
        changer: RegisterLock.Changer = .other, language: Language,
        text: @escaping (String, [String: String]) -> String
    ) -> RegisterPage {
        let plain = { (key: String) in text(key, [:]) }
        let laestab = school.school.laestab
        let times = school.school.times(for: session.half)
        let present = RegisterRules.presentCode(for: session.half, codes: codes)
        let absent = codes.code(meaning: .noReasonYet)
        func words(_ code: AttendanceCode) -> String { "\(code.code) – \(code.name(in: language))" }
        // Two pupils of the same name are told apart (the core says how).
        let apart = NamesOnAList.tellApart(lines.map(\.pupil), language: language)
        let rows = lines.map { line -> Line in
            let upn = line.pupil.upn
            let current = line.mark.flatMap { codes[$0.mark.code] }
            let choice = asked.choices[upn]
            var kind = choice?.kind.flatMap(Kind.init(rawValue:))
            var minutes = choice?.minutes ?? line.mark?.mark.minutesLate.map(String.init) ?? ""
            var other = choice?.other ?? ""
            if choice?.kind == nil, let current {
                if current.code == present.code {
                    kind = .present
                } else if current.isLate {
                    kind = .late
                } else if current.code == absent?.code {
                    kind = .absent
                } else {
                    kind = .other
                    other = current.code
                }
            }
            if kind == nil && asked.fillPresent { kind = .present }
            if kind != .late && choice == nil && line.mark == nil { minutes = "" }
            let listed = NamesOnAList.registerName(line.pupil, told: apart[upn])
            let name = line.pupil.displayName + NamesOnAList.suffix(apart[upn])
            return Line(
                upn: upn.value, pupilHref: SiteURL.pupil(upn), name: listed.name, initials: listed.initials,
                seen: choice?.seen ?? line.mark?.mark.code ?? "", minutes: minutes,
                minutesLabel: text("register.minutesLate", ["name": name]),
                otherCodeLabel: text("register.otherCode", ["name": name]),
                codes: otherCodes.map {
                    CodeOption(code: $0.code, name: $0.name(in: language), selected: $0.code == other)
                },
                current: current.map { words($0) + (line.mark?.mark.minutesLate.map { " (\($0) min)" } ?? "") },
                planned: current.flatMap { code in
                    RegisterRules.isPlanned(code) && registerCodesOnly
                        ? text("register.planned", ["code": words(code)]) : nil
                }, isPresent: kind == .present, isLate: kind == .late, isAbsent: kind == .absent,
                isOther: kind == .other, error: asked.errors[upn])
        }
        func href(_ date: LocalDate) -> String {
            SiteURL.register(laestab, group: group, date: date, half: session.half)
        }
        var closed: String?
        if !day.isSchoolDay {
            closed = text("register.notSchoolDay", ["date": DateText.day(session.date, text)])
        } else if day.isFuture && registerCodesOnly {
            closed = text("register.future", ["date": DateText.day(session.date, text)])
        }
        let open = closed == nil
        var locked: String?
        var readOnly = false
        if let lastOpen = day.lockedAfter, day.isSchoolDay {
            let values = ["date": DateText.day(lastOpen, text)]
            switch changer {
            case .authoriser: locked = text("register.lockedAuthoriser", values)
            case .office: locked = text("register.lockedOffice", values)
            case .other:
                locked = text("register.lockedReadOnly", values)
                readOnly = true
            }
        }
        return RegisterPage(
            title: text(
                "register.title",
                [
                    "group": group, "date": DateText.day(session.date, text),
                    "session": plain("session.\(session.half.rawValue)"),
                ]),
            closes: text("register.closes", ["start": times.start.description, "close": times.close.description]),
            closed: closed, ahead: open && day.isFuture ? plain("register.ahead") : nil, locked: locked,
            readOnly: readOnly && open && !rows.isEmpty,
            previousHref: day.previous.map(href),
            previousLabel: day.previous.map { text("register.previousDay", ["date": DateText.day($0, text)]) },
            nextHref: day.next.map(href),
            nextLabel: day.next.map { text("register.nextDay", ["date": DateText.day($0, text)]) },
            dayAction: href(session.date), dayLabel: plain("register.day"), date: session.date.iso,
            showDay: plain("registers.show"),
            keysHint: plain(otherCodes.isEmpty ? "register.keysHintNoOther" : "register.keysHint"),
            errorSummary: asked.summary,
            hasConflicts: !asked.conflicts.isEmpty, conflicts: asked.conflicts,
            conflictsIntro: plain("register.conflicts"), empty: rows.isEmpty ? plain("register.empty") : nil,
            hasLines: open && !rows.isEmpty && !readOnly, lines: rows, allPresent: plain("register.allPresent"),
            allPresentHint: plain("register.allPresentHint"),
            action: SiteURL.register(laestab, group: group, date: session.date, half: session.half),
            pupilLabel: plain("register.pupil"), markLabel: plain("register.mark"),
            presentLabel: plain("register.present"), lateLabel: plain("register.late"),
            absentLabel: plain("register.absent"), otherLabel: plain("register.other"), presentCode: present.code,
            absentCode: absent?.code ?? "", chooseLabel: plain("register.choose"), offersOther: !otherCodes.isEmpty,
            historyLabel: plain("register.history"), taken: lines.contains { $0.mark != nil } || locked != nil,
            reasonLabel: plain("register.reason"), reasonHint: plain("register.reasonHint"), reason: asked.reason,
            save: plain("register.save"))
    }
}
