import AttendanceCore
import Foundation
import Mustache

/// Every placeholder's value for one copy of a letter, in one language, as typed values. A wording reaches them
/// by the documented names in `LetterPlaceholder.all` (`pupil_name`, `letter1_sent`, …), which `child(named:)`
/// maps; nothing else is visible to it.
struct LetterValues: MustacheParent, Sendable {
    var pupilName = ""
    var pupilForename = ""
    var andAttendance = ""
    var upn = ""
    var dateOfBirth = ""
    var yearGroup = ""
    var registrationGroup = ""
    var schoolName = ""
    var date = ""
    var academicYear = ""
    var recipientNames = ""
    var periodFrom = ""
    var periodTo = ""
    var possible = 0
    var attended = 0
    var absent = 0
    var authorised = 0
    var unauthorised = 0
    var percent = ""
    var earlierPercent = ""
    var earlierFrom = ""
    var earlierTo = ""
    var persistentAbsence = false
    var meetingDate = ""
    var meetingTime = ""
    var meetingPlace = ""
    var holidayFrom = ""
    var holidayTo = ""
    var holidayAgreed = false
    var holidayRefused = false
    var holidayOffRoll = false
    var holidayPartly = false
    var holidayAgreedFrom = ""
    var holidayAgreedTo = ""
    var holidayReason = ""
    var noticeNumber = ""
    var noticeFrom = ""
    var noticeTo = ""
    var noticeSessions = ""
    var noticeReceived = ""
    var noticeEarlyAmount = ""
    var noticeEarlyBy = ""
    var noticeLateAmount = ""
    var noticeLateBy = ""
    var signatory = ""
    var eswHelpline = ""
    // What the record shows the school has done this year (`LetterHistory`).
    var wroteBefore = false
    var sent: [LetterKind: String] = [:]
    var callRecorded = false
    var callSpoke = false
    var callUnreached = false
    var callAttempts = ""
    var callDate = ""
    var callOutcome = ""
    var meetingArranged = false
    var meetingHeldOn = ""
    // For a penalty notice warning: the term's figures and which criteria were met.
    var termFrom = ""
    var termTo = ""
    var penaltyUnauthorised = false
    var termUnauthorised = 0
    var penaltyLate = false
    var termLate = 0
    var penaltyHoliday = false
    var termHoliday = 0
    var penaltyPolice = false
    var termPolice = 0
    var penaltyEngagement = false
    var termMissedMeetings = 0
    var termUnanswered = 0
    /// Whether the request follows the warning as it is (a criterion met waits for nothing more) or only on
    /// further unauthorised absence: the letter says which.
    var penaltyRequestFollows = false
    var penaltyRequestOnFurther = false

    /// The letters a history placeholder may name (`letter1_sent`, `invitation_date`, …).
    static let historyNames: [String: LetterKind] = [
        "letter1": .letter1, "letter2": .letter2, "letter3": .letter3, "invitation": .meetingInvitation,
    ]

    func child(named name: String) -> Any? {
        switch name {
        case "pupil_name": pupilName
        case "pupil_forename": pupilForename
        case "and_attendance": andAttendance
        case "upn": upn
        case "date_of_birth": dateOfBirth
        case "year_group": yearGroup
        case "registration_group": registrationGroup
        case "school_name": schoolName
        case "date": date
        case "academic_year": academicYear
        case "recipient_names": recipientNames
        case "period_from": periodFrom
        case "period_to": periodTo
        case "possible": possible
        case "attended": attended
        case "absent": absent
        case "authorised": authorised
        case "unauthorised": unauthorised
        case "percent": percent
        case "earlier_percent": earlierPercent
        case "earlier_from": earlierFrom
        case "earlier_to": earlierTo
        case "persistent_absence": persistentAbsence
        case "meeting_date": meetingDate
        case "meeting_time": meetingTime
        case "meeting_place": meetingPlace
        case "holiday_from": holidayFrom
        case "holiday_to": holidayTo
        case "holiday_agreed": holidayAgreed
        case "holiday_refused": holidayRefused
        case "holiday_off_roll": holidayOffRoll
        case "holiday_partly": holidayPartly
        case "holiday_agreed_from": holidayAgreedFrom
        case "holiday_agreed_to": holidayAgreedTo
        case "holiday_reason": holidayReason
        case "notice_number": noticeNumber
        case "notice_from": noticeFrom
        case "notice_to": noticeTo
        case "notice_sessions": noticeSessions
        case "notice_received": noticeReceived
        case "notice_early_amount": noticeEarlyAmount
        case "notice_early_by": noticeEarlyBy
        case "notice_late_amount": noticeLateAmount
        case "notice_late_by": noticeLateBy
        case "signatory": signatory
        case "esw_helpline": eswHelpline
        case "wrote_before": wroteBefore
        case "call_recorded": callRecorded
        case "call_spoke": callSpoke
        case "call_unreached": callUnreached
        case "call_attempts": callAttempts
        case "call_date": callDate
        case "call_outcome": callOutcome
        case "meeting_arranged": meetingArranged
        case "meeting_held_on": meetingHeldOn
        case "term_from": termFrom
        case "term_to": termTo
        case "penalty_unauthorised": penaltyUnauthorised
        case "term_unauthorised": termUnauthorised
        case "penalty_late": penaltyLate
        case "term_late": termLate
        case "penalty_holiday": penaltyHoliday
        case "term_holiday": termHoliday
        case "penalty_police": penaltyPolice
        case "term_police": termPolice
        case "penalty_engagement": penaltyEngagement
        case "term_missed_meetings": termMissedMeetings
        case "term_unanswered": termUnanswered
        case "penalty_request_follows": penaltyRequestFollows
        case "penalty_request_on_further": penaltyRequestOnFurther
        default: historyValue(name)
        }
    }

    /// `letterN_sent` (true when sent) and `letterN_date` (the day, written out).
    private func historyValue(_ name: String) -> Any? {
        guard let split = name.lastIndex(of: "_"), let kind = Self.historyNames[String(name[..<split])] else {
            return nil
        }
        switch name[name.index(after: split)...] {
        case "sent": return sent[kind] != nil
        case "date": return sent[kind] ?? ""
        default: return nil
        }
    }
}

extension LetterFacts {
    /// Every placeholder's value in one language. Dates are written out in that language.
    func values(
        _ language: Language, recipient: LetterRecipient, outcomes: (String) -> String
    ) -> LetterValues {
        func date(_ name: String) -> String {
            guard let text = details[name] else { return "" }
            return LocalDate(iso: text)?.letterText(language) ?? text
        }
        let forename = pupil.preferredForename ?? pupil.legalForename
        var values = LetterValues()
        // Letters use the name the family and school use (the preferred name); legal documents and exports the legal.
        values.pupilName = pupil.displayName
        values.pupilForename = forename
        values.andAttendance =
            language == .cy
            ? WelshGrammar.andAttendance(pupil.sex, forename: forename)
            : WelshGrammar.andAttendanceEnglish(pupil.sex, forename: forename)
        values.upn = pupil.upn.value
        values.dateOfBirth = pupil.dateOfBirth.letterText(language)
        values.yearGroup = pupil.yearGroup
        values.registrationGroup = pupil.registrationGroup
        values.schoolName = school.name
        values.date = self.date.letterText(language)
        values.academicYear = self.date.academicYear.description
        values.recipientNames =
            language == .cy ? WelshGrammar.and(recipient.names) : recipient.names.joined(separator: " and ")
        values.periodFrom = period.start.letterText(language)
        values.periodTo = period.end.letterText(language)
        values.possible = summary.possible
        values.attended = summary.attended
        values.absent = summary.absent
        values.authorised = summary.authorised
        values.unauthorised = summary.unauthorised
        values.percent = summary.attendancePercentText
        values.persistentAbsence = summary.persistentAbsence
        if let earlier {
            values.earlierPercent = earlier.summary.attendancePercentText
            values.earlierFrom = earlier.period.start.letterText(language)
            values.earlierTo = earlier.period.end.letterText(language)
        }
        values.meetingDate = date("meeting_date")
        values.meetingTime = details["meeting_time"] ?? ""
        values.meetingPlace = details["meeting_place"] ?? ""
        values.holidayFrom = date("holiday_from")
        values.holidayTo = date("holiday_to")
        values.holidayAgreed = details["holiday_decision"] == "agreed"
        values.holidayRefused = details["holiday_decision"] == "refused"
        values.holidayOffRoll = details["holiday_decision"] == "off_roll"
        values.holidayPartly = details["holiday_decision"] == "partly"
        values.holidayAgreedFrom = date("holiday_agreed_from")
        values.holidayAgreedTo = date("holiday_agreed_to")
        values.holidayReason = details["holiday_reason"] ?? ""
        values.noticeNumber = details["notice_number"] ?? ""
        values.noticeFrom = date("notice_from")
        values.noticeTo = date("notice_to")
        values.noticeSessions = details["notice_sessions"] ?? ""
        values.noticeReceived = date("notice_received")
        values.noticeEarlyAmount = details["notice_early_amount"] ?? ""
        values.noticeEarlyBy = date("notice_early_by")
        values.noticeLateAmount = details["notice_late_amount"] ?? ""
        values.noticeLateBy = date("notice_late_by")
        values.signatory = signatory
        values.eswHelpline = Self.eswHelpline
        values.wroteBefore = [.letter1, .letter2, .letter3].contains { history.sent[$0] != nil }
        values.sent = history.sent.mapValues { $0.letterText(language) }
        values.callRecorded = history.call != nil
        values.callSpoke = history.call?.outcome == "spoke"
        values.callUnreached = history.call?.outcome == "unreached"
        values.callAttempts = history.callAttempts.map(String.init) ?? ""
        values.callDate = history.call?.date.letterText(language) ?? ""
        values.callOutcome = history.call.map { outcomes($0.outcome) } ?? ""
        values.meetingArranged = history.meeting != nil
        values.meetingHeldOn = history.meeting?.letterText(language) ?? ""
        if let penalty {
            values.termFrom = penalty.range.start.letterText(language)
            values.termTo = penalty.range.end.letterText(language)
            values.penaltyUnauthorised = penalty.met.contains("unauthorised")
            values.termUnauthorised = penalty.counts["unauthorised"] ?? 0
            values.penaltyLate = penalty.met.contains("late_after_close")
            values.termLate = penalty.counts["late_after_close"] ?? 0
            values.penaltyHoliday = penalty.met.contains("unagreed_holiday")
            values.termHoliday = penalty.counts["unagreed_holiday"] ?? 0
            values.penaltyPolice = penalty.met.contains("police_contact")
            values.termPolice = penalty.counts["police_contact"] ?? 0
            values.penaltyEngagement = penalty.met.contains("non_engagement")
            values.termMissedMeetings = penalty.counts["missed_meetings"] ?? 0
            values.termUnanswered = penalty.counts["unanswered_contacts"] ?? 0
            values.penaltyRequestFollows = !penalty.waitsForFurtherAbsence
            values.penaltyRequestOnFurther = penalty.waitsForFurtherAbsence
        }
        return values
    }
}

/// One copy of a letter in the frame (`letter.mustache`): the frame's own words and the recipient, then the
/// placeholders' values.
struct LetterCopy: MustacheParent, Sendable {
    let lang: String
    let names: [String]
    let addressLines: [String]
    let subject: String
    let figuresTitle: String
    let body: String
    /// The frame's fixed words by their name in the frame (`dear`, `possibleLabel`, …).
    let labels: [String: String]
    let values: LetterValues

    func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "names": names
        case "addressLines": addressLines
        case "subject": subject
        case "figuresTitle": figuresTitle
        case "body": body
        default: labels[name] ?? values.child(named: name)
        }
    }
}

/// A whole letter document: a copy per language the recipient reads.
struct LetterDocument: Sendable {
    let lang: String
    let title: String
    let css: String
    let copies: [LetterCopy]
}
