import Foundation

/// Something a school does for pupils below target beyond the procedure's letters (issue 35): mentoring by a
/// named member of staff, a six-week workshop, a conversation at a parents' evening, a sanction, group support,
/// or a kind the school names itself. It has pupils, a lead, a start and (once over) an end, sessions held with
/// who came, and notes for staff; the parent sees a summary without the notes where the kind says so.
public struct Intervention: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case mentoring, workshop
        case parentsEvening = "parents_evening"
        case sanction
        case groupSupport = "group_support"
        case other

        /// Whether the parent's view of the pupil lists it (without staff notes). Every kind but the school's own:
        /// what "other" holds is for the school to say, so it is kept to staff.
        public var toldToParent: Bool { self != .other }
    }

    /// One meeting of an intervention (a workshop's session, a group's meeting): the day, what it was about, and
    /// the pupils who came.
    public struct Session: Sendable, Hashable {
        public let id: Int
        public let on: LocalDate
        public let topic: String
        public let attended: Set<UPN>

        public init(id: Int, on: LocalDate, topic: String, attended: Set<UPN>) {
            (self.id, self.on, self.topic, self.attended) = (id, on, topic, attended)
        }
    }

    public enum Problem: String, Error, Sendable, Hashable {
        /// No pupil named, or none of them on the school's roll.
        case noPupils = "no_pupils"
        /// A school-defined kind with no name, or a session with no topic.
        case unnamed
        /// Notes or a name longer than allowed.
        case tooLong = "too_long"
        /// Ends before it starts, or a session outside its days.
        case outOfOrder = "out_of_order"
        /// Starts, ends or meets on a day too far from today (more than a year either way, or a session ahead).
        case outOfRange = "out_of_range"
        /// Ended already: nothing more is recorded against it.
        case ended
        /// The lead named is not a member of the school's staff.
        case notStaff = "not_staff"
        /// A sanction for the pupil on that day is recorded already.
        case alreadyRecorded = "already_recorded"
    }

    public let id: Int
    public let school: LAESTAB
    public let kind: Kind
    /// The school's name for it ("Breakfast club", "Workshop: autumn"); may be empty for a kind that names itself.
    public let title: String
    /// Who leads it (an account's email, as the record keeps people).
    public let leader: String
    public let pupils: [UPN]
    public let start: LocalDate
    public let end: LocalDate?
    /// For staff only.
    public let notes: String
    public let sessions: [Session]
    public let createdBy: String
    public let createdAt: String

    public init(
        id: Int, school: LAESTAB, kind: Kind, title: String, leader: String, pupils: [UPN], start: LocalDate,
        end: LocalDate?, notes: String, sessions: [Session], createdBy: String, createdAt: String
    ) {
        (self.id, self.school, self.kind, self.title, self.leader, self.pupils) =
            (id, school, kind, title, leader, pupils)
        (self.start, self.end, self.notes, self.sessions, self.createdBy, self.createdAt) =
            (start, end, notes, sessions, createdBy, createdAt)
    }

    /// The roles that make an account a member of a school's staff, who may lead an intervention there (a mentor
    /// already mentoring there, a teaching assistant say, may mentor another pupil).
    public static let leaderRoles: Set<Role> = [
        .headTeacher, .seniorManagement, .attendanceAdministrator, .headOfYear, .formTutor, .educationSocialWorker,
        .mentor,
    ]

    /// The longest notes kept, and the longest name or topic.
    public static let notesLimit = 2000
    public static let titleLimit = 120

    /// The days it ran or has run so far: from its start to its end, or to `today` while it goes on (nil when it
    /// starts after today).
    public func days(through today: LocalDate) -> DateRange? { DateRange(start, min(end ?? today, today)) }

    public func isOpen(on today: LocalDate) -> Bool { end.map { $0 >= today } ?? true }

    /// Whether a day from outside is near enough to today to be meant: a year either way.
    public static func isWithinReach(_ day: LocalDate, of today: LocalDate) -> Bool {
        abs(day.days(until: today)) <= 366
    }

    /// A new intervention's fields as they may be kept, checked in one place for the form, the API and the store.
    public struct Draft: Sendable, Hashable {
        public let kind: Kind
        public let title: String
        public let leader: String
        public let pupils: [UPN]
        public let start: LocalDate
        public let end: LocalDate?
        public let notes: String

        public init(
            kind: Kind, title: String, leader: String, pupils: [UPN], start: LocalDate, end: LocalDate?,
            notes: String, today: LocalDate
        ) throws(Problem) {
            let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
            let notes = notes.trimmingCharacters(in: .whitespacesAndNewlines)
            var seen = Set<UPN>()
            let pupils = pupils.filter { seen.insert($0).inserted }
            guard !pupils.isEmpty else { throw .noPupils }
            guard kind != .other || !title.isEmpty else { throw .unnamed }
            guard title.count <= Intervention.titleLimit, notes.count <= Intervention.notesLimit else {
                throw .tooLong
            }
            guard Intervention.isWithinReach(start, of: today),
                end.map({ Intervention.isWithinReach($0, of: today) }) ?? true
            else { throw .outOfRange }
            if let end, end < start { throw .outOfOrder }
            (self.kind, self.title, self.leader, self.pupils, self.start, self.end, self.notes) =
                (kind, title, leader, pupils, start, end, notes)
        }
    }

    /// Checks a session before it is kept: on a day the intervention ran or runs (an ended one may have a session
    /// written up late), not after today, with a topic.
    public func checkSession(on day: LocalDate, topic: String, today: LocalDate) throws(Problem) {
        guard day <= today else { throw .outOfRange }
        guard day >= start, end.map({ day <= $0 }) ?? true else { throw .outOfOrder }
        let topic = topic.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !topic.isEmpty else { throw .unnamed }
        guard topic.count <= Self.titleLimit else { throw .tooLong }
    }
}
