import AttendanceCore
import AttendanceStore
import Foundation

/// One pupil's attendance: facts, the year's figures, the year session by session with its patterns, the last
/// four weeks; for staff also corrections, the procedure's timeline, contacts, medical evidence and letters.
/// Each part for staff is present only when the viewer may see it.
struct PupilPage: PageModel {
    static let template = "pupil"

    typealias Text = (String, [String: String]) -> String

    struct StripCell: Sendable {
        let code: String
        let category: String
        let title: String
    }

    struct Day: Sendable {
        let date: String
        let am: String
        let pm: String
    }

    struct Correction: Sendable {
        let session: String
        let from: String
        let to: String
        let by: String
        let when: String
        let reason: String
    }

    /// What school staff see (and a school the pupil has left, for its own time with them).
    struct Staff: Sendable {
        let historyTitle: String
        let noHistory: String
        let hasHistory: Bool
        let history: [Correction]
        let sessionLabel: String
        let fromLabel: String
        let toLabel: String
        let byLabel: String
        let whenLabel: String
        let reasonLabel: String
        let timelineTitle: String
        let noTimeline: String
        let timeline: [String]
    }

    struct ContactLine: Sendable {
        let name: String
        let relationship: String
        let phone: String
        let email: String
        let language: String
    }

    struct Contacts: Sendable {
        let contactsTitle: String
        let contacts: [ContactLine]
    }

    struct Evidence: Sendable {
        let evidenceTitle: String
        let evidenceIntro: String
        let evidenceNotice: String?
        let evidence: [String]
        let noEvidence: String
        let evidenceAction: String
        let evidenceFromLabel: String
        let evidenceToLabel: String
        let evidenceWhatLabel: String
        let evidenceSeenByLabel: String
        let evidenceSeenOnLabel: String
        let evidenceRecord: String
    }

    struct Option: Sendable {
        let value: String
        let label: String
        /// The detail fields this kind of letter uses, space-separated (the page shows only those).
        var needs = ""
    }

    struct Message: Sendable {
        let when: String
        let how: String
        let text: String
        let status: String
    }

    struct Letters: Sendable {
        let lettersTitle: String
        let producedNotice: String?
        let noLetters: String
        let hasLetters: Bool
        let letters: [LetterRow]
        let letterColumns: LetterColumns
        let messagesTitle: String
        let noMessages: String
        let messages: [Message]
        let produceAction: String
        let produceLabel: String
        let kindLabel: String
        let kinds: [Option]
        let detailsLabel: String
        let meetingDateLabel: String
        let meetingTimeLabel: String
        let meetingPlaceLabel: String
        let holidayFromLabel: String
        let holidayToLabel: String
        let holidayDecisionLabel: String
        let agreedLabel: String
        let refusedLabel: String
        let holidayReasonLabel: String
        let resendReasonLabel: String
    }

    let title: String
    let upnLabel: String
    let upn: String
    let schoolLabel: String
    let school: String
    /// Absent for a school the pupil has left: the new school's year and form are not theirs to see.
    let yearLabel: String?
    let year: String?
    let group: String?
    let left: String?
    let summaryTitle: String
    let columns: PupilColumns
    let possible: Int
    let attended: Int
    let authorised: Int
    let unauthorised: Int
    let attendance: String
    let band: String?
    let bandClass: String?
    let persistent: String
    let stripTitle: String
    let strip: [StripCell]
    /// What each code in the strip means, each once ("/ – Present (morning)"): the strip is read by its key.
    let stripKey: [String]
    let hasStripKey: Bool
    /// A parent's page puts what they do (report an absence, ask for leave) before the figures.
    let familyFirst: Bool
    let patternsTitle: String
    let patterns: [String]
    let noPatterns: String
    let recentTitle: String
    let dateLabel: String
    let morningLabel: String
    let afternoonLabel: String
    let days: [Day]
    let staffView: Staff?
    let contactsSection: Contacts?
    let evidenceSection: Evidence?
    let lettersSection: Letters?
    let familySection: Family?
    let eswSection: EswSection?
    let rollSection: RollSection?
    let medicalSection: MedicalSection?
    let interventionsSection: PupilInterventions?
    let transfersSection: PupilTransfers?
    /// The subject access export's link, for the head teacher and the education lead.
    let subjectAccessLink: String?
    let lessonsSection: PupilLessons?

    /// A mark in words: its code and the code's name, or that there is none.
    static func codeText(_ code: String?, codes: CodeTable, language: Language, text: Text) -> String {
        guard let code else { return text("pupil.noMark", [:]) }
        return "\(code) – \(codes[code]?.name(in: language) ?? code)"
    }

    /// The page's figures and marks.
    /// - Parameters:
    ///   - school: the school's name and LAESTAB (the pupil's current one, or the one that they left).
    ///   - leftOn: for a school the pupil has left, the day they left it (empty if not recorded).
    ///   - recent: the marks of the last four weeks; `sessions` the school's sessions of the period (none without
    ///     a school), shown with their marks in `yearMarks`.
    static func make(
        pupil: Pupil, upn: UPN, school: (name: String, laestab: LAESTAB?), leftOn: String?, range: DateRange,
        summary: AttendanceSummary, recent: [RecordedMark], sessions: [SchoolSession], yearMarks: YearMarks,
        patterns: [PatternFlag],
        codes: CodeTable, language: Language, staff: Staff? = nil, contacts: Contacts? = nil,
        evidence: Evidence? = nil, letters: Letters? = nil, family: Family? = nil, esw: EswSection? = nil,
        roll: RollSection? = nil, medical: MedicalSection? = nil, interventions: PupilInterventions? = nil,
        transfers: PupilTransfers? = nil, subjectAccess: String? = nil, lessons: PupilLessons? = nil,
        text: @escaping Text
    ) -> PupilPage {
        let plain = { (key: String) in text(key, [:]) }
        let byDate = Dictionary(grouping: recent, by: \.mark.session.date)
        let days = byDate.keys.sorted(by: >).map { date in
            let marks = byDate[date] ?? []
            func mark(_ half: SessionHalf) -> String {
                codeText(
                    marks.first { $0.mark.session.half == half }?.mark.code, codes: codes, language: language,
                    text: text)
            }
            return Day(date: DateText.day(date, text), am: mark(.am), pm: mark(.pm))
        }
        let strip = sessions.map { session in
            let code = codes.code(id: yearMarks[session])
            return StripCell(
                code: code?.code ?? "·", category: code?.category.rawValue ?? "none",
                title: ActionWords.session(session.description, text: text) + ": "
                    + (code.map { "\($0.code) \($0.name(in: language))" } ?? plain("pupil.noMark")))
        }
        var seen = Set<String>()
        let stripKey = sessions.compactMap { codes.code(id: yearMarks[$0]) }.filter { seen.insert($0.code).inserted }
            .sorted { $0.code < $1.code }.map { "\($0.code) – \($0.name(in: language))" }
        let hasLeft = leftOn != nil
        return PupilPage(
            title: text("pupil.title", ["name": pupil.displayName]), upnLabel: plain("pupil.upn"), upn: upn.value,
            schoolLabel: plain("pupil.school"), school: "\(school.name) (\(school.laestab?.description ?? ""))",
            yearLabel: hasLeft ? nil : plain("column.year"), year: hasLeft ? nil : pupil.yearGroup,
            group: hasLeft ? nil : pupil.registrationGroup,
            left: leftOn.map { text("pupil.leftNotice", ["date": $0, "school": school.name]) },
            summaryTitle: text(
                "pupil.summary", ["from": DateText.day(range.start, text), "to": DateText.day(range.end, text)]),
            columns: PupilColumns(text: plain), possible: summary.possible, attended: summary.attended,
            authorised: summary.authorised, unauthorised: summary.unauthorised,
            attendance: summary.attendancePercentText, band: summary.band.map { plain($0.textKey) },
            bandClass: summary.band?.cssClass,
            persistent: plain(summary.persistentAbsence ? "common.yes" : "common.no"),
            stripTitle: plain("pupil.strip"), strip: strip, stripKey: stripKey, hasStripKey: !stripKey.isEmpty,
            familyFirst: family != nil && staff == nil && contacts == nil, patternsTitle: plain("pupil.patterns"),
            patterns: patterns.map { patternText($0, text: text) } + (lessons?.patterns ?? []),
            noPatterns: plain("pupil.noPatterns"),
            recentTitle: plain("pupil.recent"), dateLabel: plain("pupil.date"), morningLabel: plain("pupil.morning"),
            afternoonLabel: plain("pupil.afternoon"), days: days, staffView: staff, contactsSection: contacts,
            evidenceSection: evidence, lettersSection: letters, familySection: family, eswSection: esw,
            rollSection: roll, medicalSection: medical, interventionsSection: interventions,
            transfersSection: transfers, subjectAccessLink: subjectAccess, lessonsSection: lessons)
    }

    /// A pattern in words, with the sessions that make it (the first twelve).
    static func patternText(_ flag: PatternFlag, text: Text) -> String {
        let day = flag.weekday.map { text("weekday.\($0.rawValue)", [:]) } ?? ""
        return text("pattern.\(flag.kind.rawValue)", ["count": String(flag.count), "day": day]) + " ("
            + text("pattern.sessions", [:]) + ": "
            + flag.sessions.prefix(12).map { ActionWords.session($0.description, text: text) }.joined(separator: "; ")
            + (flag.sessions.count > 12 ? " …" : "") + ")"
    }
}

extension PupilPage.Staff {
    /// Corrections newest first, and the procedure's actions each with what became of it.
    static func make(
        corrections: [Amendment], actions: [QueuedAction], patrols: [PatrolEntry] = [], policy: Policy,
        codes: CodeTable, language: Language, names: [String: String], text: @escaping PupilPage.Text
    ) -> PupilPage.Staff {
        let plain = { (key: String) in text(key, [:]) }
        func code(_ code: String?) -> String {
            PupilPage.codeText(code, codes: codes, language: language, text: text)
        }
        let timeline =
            patrols.map { PatrolWords.line($0, names: names, text: text) }
            + actions.map { ActionWords.timeline($0, policy: policy, names: names, text: text) }
        return PupilPage.Staff(
            historyTitle: plain("pupil.history"), noHistory: plain("pupil.noHistory"),
            hasHistory: !corrections.isEmpty,
            history: corrections.reversed().map {
                PupilPage.Correction(
                    session: ActionWords.session($0.session.description, text: text), from: code($0.oldCode),
                    to: code($0.newCode), by: RecordWords.actor($0.changedBy, names: names, text: text),
                    when: DateText.moment($0.changedAt, text),
                    reason: RecordWords.reason($0.reason, text: text))
            }, sessionLabel: plain("pupil.session"), fromLabel: plain("pupil.from"), toLabel: plain("pupil.to"),
            byLabel: plain("pupil.by"), whenLabel: plain("pupil.when"), reasonLabel: plain("pupil.reason"),
            timelineTitle: plain("pupil.timeline"), noTimeline: plain("pupil.noTimeline"), timeline: timeline)
    }
}

extension PupilPage.Contacts {
    static func make(_ contacts: [Contact], text: PupilPage.Text) -> PupilPage.Contacts {
        PupilPage.Contacts(
            contactsTitle: text("pupil.contacts", [:]),
            contacts: contacts.map {
                PupilPage.ContactLine(
                    name: $0.name, relationship: ContactWords.relationship($0.relationship, text: text),
                    phone: $0.mobile ?? $0.phone ?? "",
                    email: $0.email ?? "", language: ContactWords.language($0.language, text: text))
            })
    }
}

extension PupilPage.Evidence {
    /// Medical evidence recorded for the pupil's absences, and the form to record more (after Letter 3 the head
    /// authorises illness and appointments only with it).
    static func make(
        _ records: [MedicalEvidence], letter3Sent: LocalDate?, saved: Bool, school: LAESTAB, upn: UPN,
        text: PupilPage.Text
    ) -> PupilPage.Evidence {
        PupilPage.Evidence(
            evidenceTitle: text("evidence.title", [:]),
            evidenceIntro: letter3Sent.map { text("evidence.afterLetter3", ["date": DateText.day($0, text)]) }
                ?? text("evidence.intro", [:]), evidenceNotice: saved ? text("evidence.saved", [:]) : nil,
            evidence: records.map {
                text(
                    "evidence.line",
                    [
                        "from": DateText.day($0.days.start, text), "to": DateText.day($0.days.end, text),
                        "what": $0.what, "by": $0.seenBy,
                        "on": DateText.day($0.seenOn, text),
                    ])
            }, noEvidence: text("evidence.none", [:]),
            evidenceAction: SiteURL.schoolPupil(.medicalEvidence, school, upn),
            evidenceFromLabel: text("evidence.from", [:]), evidenceToLabel: text("evidence.to", [:]),
            evidenceWhatLabel: text("evidence.what", [:]), evidenceSeenByLabel: text("evidence.seenBy", [:]),
            evidenceSeenOnLabel: text("evidence.seenOn", [:]), evidenceRecord: text("evidence.record", [:]))
    }
}

extension PupilPage.Letters {
    /// The pupil's letters and messages, and the form to produce one (the penalty notice warning only for whoever
    /// decides penalty notices).
    static func make(
        letters: [StoredLetter], deliveries: [Delivery], mayResend: Bool, produced: Bool, school: LAESTAB, upn: UPN,
        people: [String: String], text: @escaping PupilPage.Text
    ) -> PupilPage.Letters {
        let plain = { (key: String) in text(key, [:]) }
        return PupilPage.Letters(
            lettersTitle: plain("letters.title"), producedNotice: produced ? plain("letters.produced") : nil,
            noLetters: plain("letters.noLetters"), hasLetters: !letters.isEmpty,
            letters: LetterRow.rows(letters, deliveries: deliveries, people: people, text: text),
            letterColumns: LetterColumns(text: plain), messagesTitle: plain("letters.messages"),
            noMessages: plain("letters.noMessages"),
            messages: deliveries.filter { $0.letterID == nil }.map {
                PupilPage.Message(
                    when: DateText.moment($0.createdAt, text),
                    how: plain("channel.\($0.channel.rawValue)"), text: $0.body,
                    status: LetterRow.status($0, text: text))
            }, produceAction: SiteURL.schoolPupil(.produceLetter, school, upn), produceLabel: plain("letters.produce"),
            kindLabel: plain("letters.kind"),
            // A penalty notice is made only when the Education Lead issues it, a warning on its flag's two steps;
            // Letter 3 again in a school year only by whoever authorises absence, with a reason.
            kinds: LetterKind.allCases.filter(\.isByHand).map {
                PupilPage.Option(
                    value: $0.rawValue, label: plain("letters.kind.\($0.rawValue)"),
                    needs: ($0.requiredDetails + ($0 == .holidayDecision ? ["holiday_reason"] : [])
                        + ($0 == .letter3 && mayResend ? ["resend_reason"] : [])).joined(separator: " "))
            }, detailsLabel: plain("letters.details"), meetingDateLabel: plain("letters.meetingDate"),
            meetingTimeLabel: plain("letters.meetingTime"), meetingPlaceLabel: plain("letters.meetingPlace"),
            holidayFromLabel: plain("letters.holidayFrom"), holidayToLabel: plain("letters.holidayTo"),
            holidayDecisionLabel: plain("letters.holidayDecision"), agreedLabel: plain("letters.agreed"),
            refusedLabel: plain("letters.refused"), holidayReasonLabel: plain("letters.holidayReason"),
            resendReasonLabel: plain("letters.resendReason"))
    }
}
