/// A pupil's penalty notice case in one term, with its record of steps and its notices.
public struct PenaltyCase: Sendable, Hashable {
    public let id: PenaltyCaseID
    public let upn: UPN
    public let school: LAESTAB
    public let term: DateRange
    public let criteria: [PenaltyCriterion]
    /// Sessions counted for each criterion when the case was opened.
    public let counts: [String: Int]
    public let status: PenaltyStatus
    public let warnedOn: LocalDate?
    public let events: [PenaltyEvent]
    public let notices: [PenaltyNoticeRecord]
    /// The evidence pack kept with the head's request: none before it, the document, or the document and its PDF.
    public let pack: PackKept

    public enum PackKept: Sendable, Hashable {
        case none, document, documentAndPDF
    }

    public init(
        id: PenaltyCaseID, upn: UPN, school: LAESTAB, term: DateRange, criteria: [PenaltyCriterion],
        counts: [String: Int],
        status: PenaltyStatus, warnedOn: LocalDate?, events: [PenaltyEvent], notices: [PenaltyNoticeRecord],
        pack: PackKept = .none
    ) {
        self.id = id
        self.upn = upn
        self.school = school
        self.term = term
        self.criteria = criteria
        self.counts = counts
        self.status = status
        self.warnedOn = warnedOn
        self.events = events
        self.notices = notices
        self.pack = pack
    }
}

/// One step of a case or a notice, as recorded: never changed.
public struct PenaltyEvent: Sendable, Hashable {
    public let step: String
    public let noticeID: Int?
    public let at: String
    public let by: String
    public let reason: String?
    public let data: String?

    public init(
        step: String, noticeID: Int?, at: String, by: String, reason: String?, data: String?
    ) {
        self.step = step
        self.noticeID = noticeID
        self.at = at
        self.by = by
        self.reason = reason
        self.data = data
    }
}

/// A notice served on one parent.
public struct PenaltyNoticeRecord: Sendable, Hashable {
    public let id: Int
    public let caseID: PenaltyCaseID
    public let number: String
    public let parent: String
    public let address: String?
    public let language: LanguagePreference
    public let method: ServiceMethod
    public let issuedOn: LocalDate
    public let receivedOn: LocalDate
    public let status: NoticeStatus
    public let paidPence: Int?
    public let paidOn: LocalDate?
    public let reference: String?

    public init(
        id: Int, caseID: PenaltyCaseID, number: String, parent: String, address: String?, language: LanguagePreference,
        method: ServiceMethod, issuedOn: LocalDate, receivedOn: LocalDate, status: NoticeStatus, paidPence: Int?,
        paidOn: LocalDate?, reference: String?
    ) {
        self.id = id
        self.caseID = caseID
        self.number = number
        self.parent = parent
        self.address = address
        self.language = language
        self.method = method
        self.issuedOn = issuedOn
        self.receivedOn = receivedOn
        self.status = status
        self.paidPence = paidPence
        self.paidOn = paidOn
        self.reference = reference
    }
}
