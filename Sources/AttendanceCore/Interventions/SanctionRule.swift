/// When a school may record a sanction (a detention) for absence (the policy, "School Sanctions (Secondary)":
/// "Where pupils are regularly absent without authorisation but have been sent to school by their parent it is
/// possible to implement school based sanctions if there is no improvement … Parents must be notified on each
/// occasion"). The system checks the record and refuses with the reason; the school decides whether to sanction.
public enum SanctionRule {
    public enum Refusal: String, Error, Sendable, Hashable, CaseIterable {
        /// Not a secondary pupil (a primary or nursery school, or a pupil below Year 7 in an all-through school).
        case notSecondary = "not_secondary"
        /// No unauthorised absence in the weeks looked at: authorised absence is never sanctioned.
        case noUnauthorisedAbsence = "no_unauthorised_absence"
        /// Unauthorised absence, but nothing in the record shows the pupil was sent to school and missed it.
        case noTruancyEvidence = "no_truancy_evidence"
        /// No earlier intervention for the pupil that has run long enough to measure.
        case noEarlierIntervention = "no_earlier_intervention"
        /// The earlier intervention worked: attendance rose after it.
        case improved
    }

    /// The weeks of record looked at for unauthorised absence and truancy: the last half term or so.
    public static let lookBackDays = 42

    /// What the record shows for the decision.
    public struct Evidence: Sendable, Hashable {
        /// Days the pupil was present at the morning registration and absent without authorisation in the afternoon.
        public let missedAfterRegistration: [LocalDate]
        /// Days a patrol found the pupil out of school in school hours (matched sightings).
        public let patrolSightings: [LocalDate]
        /// Sessions of unauthorised absence in the weeks looked at.
        public let unauthorisedSessions: Int
        /// The change after the latest earlier intervention that can be measured, in tenths of a point.
        public let earlierChangeTenths: Int?
        public let hadEarlierIntervention: Bool

        public init(
            missedAfterRegistration: [LocalDate], patrolSightings: [LocalDate], unauthorisedSessions: Int,
            earlierChangeTenths: Int?, hadEarlierIntervention: Bool
        ) {
            (self.missedAfterRegistration, self.patrolSightings, self.unauthorisedSessions) =
                (missedAfterRegistration, patrolSightings, unauthorisedSessions)
            (self.earlierChangeTenths, self.hadEarlierIntervention) = (earlierChangeTenths, hadEarlierIntervention)
        }
    }

    /// Whether a pupil is of secondary age at their school: every pupil of a secondary school, and pupils in
    /// Year 7 or above in a middle or all-through school.
    public static func isSecondary(phase: School.Phase, yearGroup: String) -> Bool {
        switch phase {
        case .secondary: return true
        case .middle, .allThrough:
            let digits = yearGroup.filter(\.isNumber)
            return Int(digits).map { $0 >= 7 } ?? false
        default: return false
        }
    }

    /// Days in the range with the morning marked present (or late before registers closed) and the afternoon
    /// unauthorised: the pupil came to school and was missing later, the record's sign that they were sent.
    public static func missedAfterRegistration(_ marks: YearMarks, in range: DateRange, table: CodeTable)
        -> [LocalDate]
    {
        guard let range = range.clamped(to: marks.academicYear.range) else { return [] }
        return range.dates.filter { day in
            guard let am = table.code(id: marks[SchoolSession(day, .am)]),
                let pm = table.code(id: marks[SchoolSession(day, .pm)])
            else { return false }
            return am.category == .present && pm.category == .unauthorised
        }
    }

    /// Checks the evidence; throws the first reason the record does not allow a sanction.
    public static func check(phase: School.Phase, yearGroup: String, evidence: Evidence) throws(Refusal) {
        guard isSecondary(phase: phase, yearGroup: yearGroup) else { throw .notSecondary }
        guard evidence.unauthorisedSessions > 0 else { throw .noUnauthorisedAbsence }
        guard !evidence.missedAfterRegistration.isEmpty || !evidence.patrolSightings.isEmpty else {
            throw .noTruancyEvidence
        }
        guard evidence.hadEarlierIntervention, let change = evidence.earlierChangeTenths else {
            throw .noEarlierIntervention
        }
        guard change <= 0 else { throw .improved }
    }
}
