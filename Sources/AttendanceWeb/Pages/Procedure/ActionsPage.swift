import AttendanceCore
import AttendanceStore
import Vapor

/// A school's procedure queue: each due action with why, and the forms the viewer may use on it.
struct ActionsPage: PageModel {
    static let template = "actions"

    /// One choice in a drop-down list.
    struct Option: Sendable {
        let value: String
        let label: String
        var selected = false
    }

    /// The queue's filters as asked in the address; an empty one admits everything.
    struct Filters: Sendable {
        var action = ""
        var year = ""
        var group = ""
        var band = ""
        /// Which page of the list, from 1 (a page past the last shows the last).
        var page = 1

        /// The filters a request names (on the page, and on every form posted from it).
        init(action: String = "", year: String = "", group: String = "", band: String = "", page: Int = 1) {
            (self.action, self.year, self.group, self.band) = (action, year, group, band)
            self.page = min(max(1, page), 100_000)
        }

        init(_ request: Request) {
            func read(_ name: String) -> String { request.query[String.self, at: name] ?? "" }
            self.init(
                action: read("action"), year: read("year"), group: read("group"), band: read("band"),
                page: Int(read("page")) ?? 1)
        }

        /// The filters set, as a query, so a form posted from the page comes back to the same list.
        var query: [(String, String)] {
            [("action", action), ("year", year), ("group", group), ("band", band), ("page", page > 1 ? "\(page)" : "")]
                .filter { !$0.1.isEmpty }
        }

        /// The same list on another page.
        func on(page other: Int) -> Filters {
            var moved = self
            moved.page = other
            return moved
        }

        func admits(_ item: QueuedAction, band pupilBand: Band?) -> Bool {
            (action.isEmpty || item.action.rawValue == action) && (year.isEmpty || item.pupil.yearGroup == year)
                && (group.isEmpty || item.pupil.registrationGroup == group)
                && (band.isEmpty || pupilBand?.rawValue == band)
        }
    }

    /// What the viewer may do here: run the procedure, dismiss or authorise, decide on penalty notices.
    struct Powers: Sendable {
        var canRun = false
        var canDismiss = false
        var canDecidePenalty = false
    }

    struct Item: Sendable {
        let id: ActionID
        let pupilHref: String
        let name: String
        let year: String
        let group: String
        let band: String?
        let bandClass: String?
        let what: String
        let explanation: String
        /// Why it is due, in words.
        let why: String
        let dueOn: String
        let sessionsText: String
        let completeAction: String
        let dismissAction: String
        let penaltyAction: String
        /// For a medical evidence flag: what evidence covers its days, or that none does.
        let evidenceState: String?
        /// A penalty notice flag: only the head decides it (the warning letter, or not now with a reason).
        let isPenalty: Bool
        let canDecidePenalty: Bool
        let penaltyForHead: String?
        let canDismiss: Bool
        /// Set when only whoever authorises absence may close this one and the viewer may not.
        let forHead: String?
        let isCall: Bool
        let isMeeting: Bool
        /// For a phone call: the attempts so far that reached nobody.
        let callAttempts: String?
        /// For a phone call: whom to ring, first first, with their numbers and the language they speak.
        let callContacts: [CallContact]
        let hasCallContacts: Bool
    }

    /// A person to ring about a pupil: "Siân Vaughan (Mother)", their numbers as links a tablet can call, and
    /// the language they read and speak.
    struct CallContact: Sendable {
        struct Number: Sendable {
            let text: String
            let href: String
        }
        let who: String
        let numbers: [Number]
        let language: String

        init(_ contact: Contact, text: (String, [String: String]) -> String) {
            who = "\(contact.name) (\(ContactWords.relationship(contact.relationship, text: text)))"
            numbers = [contact.mobile, contact.phone].compactMap { $0 }.filter { !$0.isEmpty }.map {
                Number(text: $0, href: "tel:" + $0.filter { $0.isNumber || $0 == "+" })
            }
            language = ContactWords.language(contact.language, text: text)
        }
    }

    let title: String
    let notice: String?
    let error: String?
    let canRun: Bool
    /// When the procedure last recorded for this school, or that it never has.
    let lastRun: String
    let base: String
    let runAction: String
    let lettersAction: String
    let actionOptions: [Option]
    let yearOptions: [Option]
    let groupOptions: [Option]
    let bandOptions: [Option]
    let items: [Item]
    /// "Showing 51–100 of 742" when the list is longer than a page, and the links to the pages beside it.
    let showing: String?
    let previousHref: String?
    let nextHref: String?
    // Said once for every item.
    let callOutcomes: [Option]

    /// The outcomes a call may be recorded with (their words are `actions.callOutcome.<value>`): a conversation
    /// closes the call; a message or no answer is an attempt and leaves it open; "unreached" closes it without a
    /// conversation once the policy's attempts are made.
    static let callOutcomeValues = ["spoke", "message", "noAnswer", unreached]
    static let unreached = "unreached"
    /// The outcomes that are attempts, as the contact log keeps them.
    static let attemptOutcomes: [String: ContactAttempt.Outcome] = ["message": .leftMessage, "noAnswer": .noAnswer]

    /// The most items a page shows: each carries its forms, and a school's whole queue in September can run to
    /// hundreds (a page of them all took most of a second to make and was a megabyte on a tablet).
    static let pageSize = 50

    /// - Parameters:
    ///   - all: the whole queue the viewer may see (the year and form choices come from it).
    ///   - shown: the page of it the filters admit (`filters.page`, of `admitted` in all).
    ///   - evidence: for each medical evidence flag shown, what the record holds covering its days.
    static func make(
        school: String, laestab: LAESTAB, all: [QueuedAction], shown: [QueuedAction], admitted: Int,
        bands: [UPN: Band], filters: Filters, evidence: [ActionID: [String]], attempts: [ActionID: Int] = [:],
        contacts: [ActionID: [Contact]] = [:], powers: Powers,
        policy: Policy, lastRun: LocalDate?,
        notice: String?, error: String?, text: @escaping (String, [String: String]) -> String
    ) -> ActionsPage {
        let plain = { (key: String) in text(key, [:]) }
        func label(_ action: ProcedureAction) -> String { text(action.labelKey, action.wordValues(policy)) }
        func options(_ values: Set<String>, _ selected: String) -> [Option] {
            values.sorted(by: NaturalOrder.precedes).map {
                Option(value: $0, label: $0, selected: $0 == selected)
            }
        }
        let items = shown.map { item -> Item in
            let band = bands[item.pupil.upn]
            let isPenalty = item.action == .fpnEligible
            let isMedical = item.action == .medicalEvidenceRequired
            let evidenceState = evidence[item.id].map { found in
                found.isEmpty
                    ? plain("evidence.missing") : text("evidence.seen", ["what": found.joined(separator: "; ")])
            }
            return Item(
                id: item.id, pupilHref: SiteURL.pupil(item.pupil.upn), name: item.pupil.displayName,
                year: item.pupil.yearGroup, group: item.pupil.registrationGroup, band: band.map { plain($0.textKey) },
                bandClass: band?.cssClass, what: label(item.action),
                explanation: text(item.action.explanationKey, item.action.wordValues(policy)),
                why: ActionWords.why(item.basis, count: item.count, text: text), dueOn: DateText.day(item.dueOn, text),
                sessionsText: item.sessions.first.map { first in
                    text(
                        "actions.sessions",
                        [
                            "count": String(item.sessions.count), "first": ActionWords.session(first, text: text),
                            "last": ActionWords.session(item.sessions.last ?? first, text: text),
                        ])
                } ?? "",
                completeAction: SiteURL.completeAction.path(
                    ["laestab": laestab.description, "id": String(item.id.rawValue)], query: filters.query),
                dismissAction: SiteURL.dismissAction.path(
                    ["laestab": laestab.description, "id": String(item.id.rawValue)], query: filters.query),
                penaltyAction: SiteURL.school(.penaltyWarning, laestab, id: item.id),
                evidenceState: isMedical ? evidenceState ?? plain("evidence.missing") : nil, isPenalty: isPenalty,
                canDecidePenalty: isPenalty && powers.canDecidePenalty,
                penaltyForHead: isPenalty && !powers.canDecidePenalty ? plain("actions.fpnForHead") : nil,
                canDismiss: !isPenalty && powers.canDismiss,
                forHead: isMedical && !powers.canDismiss ? plain("evidence.forHead") : nil,
                isCall: item.action == .phoneCall, isMeeting: item.action == .attendanceMeeting,
                callAttempts: item.action == .phoneCall
                    ? text(
                        "actions.callAttempts",
                        [
                            "made": String(attempts[item.id] ?? 0),
                            "needed": String(policy.casework.phoneCallAttempts),
                        ]) : nil,
                callContacts: (contacts[item.id] ?? []).sorted { $0.priority < $1.priority }.map {
                    CallContact($0, text: text)
                }, hasCallContacts: !(contacts[item.id] ?? []).isEmpty)
        }
        return ActionsPage(
            title: text("actions.title", ["school": school]), notice: notice, error: error, canRun: powers.canRun,
            lastRun: lastRun.map { text("actions.lastRun", ["date": DateText.day($0, text)]) }
                ?? plain("actions.neverRun"),
            base: SiteURL.school(.actions, laestab), runAction: SiteURL.school(.runProcedure, laestab),
            lettersAction: SiteURL.school(.produceDueLetters, laestab),
            actionOptions: ProcedureAction.allCases.map {
                Option(value: $0.rawValue, label: label($0), selected: $0.rawValue == filters.action)
            },
            yearOptions: options(Set(all.map(\.pupil.yearGroup)), filters.year),
            groupOptions: options(Set(all.map(\.pupil.registrationGroup)), filters.group),
            bandOptions: Band.allCases.map {
                Option(value: $0.rawValue, label: plain($0.textKey), selected: $0.rawValue == filters.band)
            },
            items: items,
            showing: admitted > pageSize
                ? text(
                    "actions.showing",
                    [
                        "from": String((filters.page - 1) * pageSize + 1),
                        "to": String((filters.page - 1) * pageSize + shown.count), "total": String(admitted),
                    ]) : nil,
            previousHref: filters.page > 1
                ? SiteURL.actions.path(
                    ["laestab": laestab.description], query: filters.on(page: filters.page - 1).query)
                : nil,
            nextHref: filters.page * pageSize < admitted
                ? SiteURL.actions.path(
                    ["laestab": laestab.description], query: filters.on(page: filters.page + 1).query)
                : nil,
            callOutcomes: callOutcomeValues.map { Option(value: $0, label: plain("actions.callOutcome.\($0)")) })
    }
}
