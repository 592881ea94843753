/// The evidence a head's request for a penalty notice goes with, gathered from the record when the request is
/// made and kept unchanged beside its PDF: the register extract with its amendments, the figures, the criteria
/// and their sessions, the procedure's timeline, the pupil's recorded needs and circumstances, other children of
/// the same parents, each parent's notices, and the head's notes. Only values, so a reader in either language
/// (and the PDF) says the same things from it.
public struct PenaltyPack: Sendable, Hashable, Codable {
    public struct PupilFacts: Sendable, Hashable, Codable {
        public let upn: String
        public let name: String
        public let legalName: String
        public let dateOfBirth: String
        public let yearGroup: String
        public let registrationGroup: String
        public let additionalLearningNeeds: Bool
        public let freeSchoolMeals: Bool
        public let lookedAfter: Bool

        public init(_ pupil: Pupil) {
            upn = pupil.upn.value
            name = pupil.displayName
            legalName = "\(pupil.legalForename) \(pupil.legalSurname)"
            dateOfBirth = pupil.dateOfBirth.iso
            yearGroup = pupil.yearGroup
            registrationGroup = pupil.registrationGroup
            additionalLearningNeeds = pupil.additionalLearningNeeds
            freeSchoolMeals = pupil.freeSchoolMeals
            lookedAfter = pupil.lookedAfter
        }
    }

    /// The term's figures to the day the request was made.
    public struct Figures: Sendable, Hashable, Codable {
        public let possible: Int
        public let attended: Int
        public let authorised: Int
        public let unauthorised: Int
        public let lateBeforeClose: Int
        public let lateAfterClose: Int
        public let percent: String

        public init(_ summary: AttendanceSummary) {
            possible = summary.possible
            attended = summary.attended
            authorised = summary.authorised
            unauthorised = summary.unauthorised
            lateBeforeClose = summary.lateBeforeClose
            lateAfterClose = summary.lateAfterClose
            percent = summary.attendancePercentText
        }
    }

    /// One session of the register extract, as it stands now; `counted` when it is among the criteria's sessions.
    public struct Session: Sendable, Hashable, Codable {
        public let date: String
        public let half: String
        public let code: String
        public let minutesLate: Int?
        public let counted: Bool

        public init(date: String, half: String, code: String, minutesLate: Int?, counted: Bool) {
            self.date = date
            self.half = half
            self.code = code
            self.minutesLate = minutesLate
            self.counted = counted
        }
    }

    /// A change to one of the extract's sessions: the original entry, the new one, who, when and why.
    public struct Change: Sendable, Hashable, Codable {
        public let date: String
        public let half: String
        /// Nil when the session had no mark before.
        public let from: String?
        public let to: String
        public let by: String
        public let at: String
        public let reason: String?

        public init(date: String, half: String, from: String?, to: String, by: String, at: String, reason: String?) {
            self.date = date
            self.half = half
            self.from = from
            self.to = to
            self.by = by
            self.at = at
            self.reason = reason
        }
    }

    public typealias Step = TimelineStep

    public struct Parent: Sendable, Hashable, Codable {
        public let name: String
        public let relationship: String
        public let language: String
        /// As the school's records say; nil when not recorded.
        public let livesWithPupil: Bool?
        public let noticesInLastYear: Int

        public init(
            name: String, relationship: String, language: String, livesWithPupil: Bool?, noticesInLastYear: Int
        ) {
            self.name = name
            self.relationship = relationship
            self.language = language
            self.livesWithPupil = livesWithPupil
            self.noticesInLastYear = noticesInLastYear
        }
    }

    /// Another child in the record with a parent of this pupil (the same name and the same email or phone).
    public struct Sibling: Sendable, Hashable, Codable {
        public let upn: String
        public let name: String
        public let school: String

        public init(upn: String, name: String, school: String) {
            self.upn = upn
            self.name = name
            self.school = school
        }
    }

    public let caseID: PenaltyCaseID
    public let madeAt: String
    public let madeBy: String
    public let schoolLAESTAB: String
    public let schoolName: String
    public let termStart: String
    public let termEnd: String
    /// The last day the figures and the extract run to: the day of the request.
    public let through: String
    public let criteria: [String]
    public let counts: [String: Int]
    public let pupil: PupilFacts
    public let figures: Figures
    public let sessions: [Session]
    public let changes: [Change]
    public let steps: [Step]
    public let parents: [Parent]
    public let siblings: [Sibling]
    public let engagement: String
    public let equality: String

    public init(
        caseID: PenaltyCaseID, madeAt: String, madeBy: String, schoolLAESTAB: String, schoolName: String,
        term: DateRange,
        through: LocalDate, criteria: [PenaltyCriterion], counts: [String: Int], pupil: PupilFacts, figures: Figures,
        sessions: [Session], changes: [Change], steps: [Step], parents: [Parent], siblings: [Sibling],
        engagement: String, equality: String
    ) {
        self.caseID = caseID
        self.madeAt = madeAt
        self.madeBy = madeBy
        self.schoolLAESTAB = schoolLAESTAB
        self.schoolName = schoolName
        termStart = term.start.iso
        termEnd = term.end.iso
        self.through = through.iso
        self.criteria = criteria.map(\.rawValue)
        self.counts = counts
        self.pupil = pupil
        self.figures = figures
        self.sessions = sessions
        self.changes = changes
        self.steps = steps
        self.parents = parents
        self.siblings = siblings
        self.engagement = engagement
        self.equality = equality
    }

}
