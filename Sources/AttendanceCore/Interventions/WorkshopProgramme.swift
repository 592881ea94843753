import Foundation

/// The six weekly sessions of an attendance workshop (the policy: "Workshops run for six weeks with each session
/// lasting 30 minutes"). A school may change the topics; the policy's example programme is the default.
public struct WorkshopProgramme: Sendable, Hashable {
    public let topics: [String]

    public static let weeks = 6
    public static let minutesPerSession = 30

    public init(topics: [String]) throws(Intervention.Problem) {
        let topics = topics.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard topics.count == Self.weeks, topics.allSatisfy({ !$0.isEmpty }) else { throw .unnamed }
        guard topics.allSatisfy({ $0.count <= Intervention.titleLimit }) else { throw .tooLong }
        self.topics = topics
    }

    private init(policy topics: [String]) { self.topics = topics }

    /// The policy's example programme, in its words (English; the Welsh is the catalogue's `workshop.topic.N`).
    public static let policy = WorkshopProgramme(policy: [
        "Why is school attendance important?",
        "Legal framework",
        "Barriers to regular attendance",
        "Removing the barriers to regular attendance",
        "What are the benefits of regular attendance at school?",
        "Conclusion and rewards for pupils whose attendance improved during the six weeks",
    ])

    /// The day of each week's session: the first school day of each of the six school weeks from the start.
    public func days(from start: LocalDate, calendar: SchoolCalendar) -> [LocalDate] {
        var days: [LocalDate] = []
        var monday = SchoolWeek.of(start).start
        var guardWeeks = 0
        while days.count < Self.weeks, guardWeeks < 52 {
            let first = (0..<5).map { monday.adding(days: $0) }.first { $0 >= start && calendar.isSchoolDay($0) }
            if let first { days.append(first) }
            monday = monday.adding(days: 7)
            guardWeeks += 1
        }
        return days
    }
}
