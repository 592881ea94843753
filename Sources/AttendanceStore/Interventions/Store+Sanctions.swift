import AttendanceCore
import Foundation

extension InterventionRepository {
    /// What the record shows for a sanction for a pupil at a school on `today`: the days they came to registration
    /// and were missing later, the patrols' sightings, their unauthorised absence in the weeks looked at, and how
    /// attendance moved after their latest earlier intervention (`SanctionRule` decides).
    public func sanctionEvidence(_ upn: UPN, school laestab: LAESTAB, today: LocalDate) async throws
        -> SanctionRule.Evidence
    {
        let school = try await store.reference.requireSchool(laestab)
        let calendar = try await store.reference.calendar(for: school.school)
        let looked = DateRange(start: today.adding(days: -SanctionRule.lookBackDays), notBefore: today)
        let year = today.academicYear
        let marks = try await store.registers.yearMarks(of: upn, year: year)
        let unauthorised = marks.summary(in: looked, table: store.codes, rules: store.rules).unauthorised
        let sightings = try await store.esw.patrolEntries(of: upn).map(\.seenOn).filter(looked.contains)
        let earlier = try await interventions(of: upn).filter {
            $0.school == laestab && $0.kind != .sanction && $0.start < today
        }
        var change: Int?
        if let latest = earlier.max(by: { $0.start < $1.start }),
            let windows = InterventionImpact.windows(
                start: latest.start, end: latest.end, today: today, calendar: calendar)
        {
            let pupil = try await store.registers.rollYear(of: upn, at: laestab, year: latest.start.academicYear)
            change =
                InterventionImpact.figures(
                    [pupil], windows: windows, table: store.codes, rules: store.rules
                ).changeTenths
        }
        return SanctionRule.Evidence(
            missedAfterRegistration: SanctionRule.missedAfterRegistration(marks, in: looked, table: store.codes),
            patrolSightings: sightings, unauthorisedSessions: unauthorised, earlierChangeTenths: change,
            hadEarlierIntervention: !earlier.isEmpty)
    }
}
