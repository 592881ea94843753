import FluentKit

/// Every migration, in order. Names are explicit and never change once released.
enum AllMigrations {
    static let list: [any Migration] = [
        M0001_CreateLocalAuthorities(),
        M0002_CreateSchools(),
        M0003_CreateCalendarEntries(),
        M0004_CreatePupils(),
        M0005_CreateEnrolments(),
        M0006_CreateContacts(),
        M0007_CreateMarks(),
        M0008_CreateMarkAmendments(),
        M0009_CreatePupilYearMarks(),
        M0010_CreateUsers(),
        M0011_CreateWebSessionsAndTokens(),
        M0012_CreateAuditEvents(),
        M0013_CreateProcedureActions(),
        M0014_CreateContactAttempts(),
        M0015_CreateLetters(),
        M0016_CreateDeliveries(),
        M0017_SessionOwnersAndDeactivation(),
        M0018_CreateMedicalEvidence(),
        M0019_AddAbsenceDelegates(),
        M0020_CreateJobs(),
        M0021_IndexAmendmentsBySchoolDay(),
        M0022_AddJobHeartbeat(),
        M0023_CreateLeaveAndAbsenceReports(),
        M0024_CreatePenaltyCases(),
        M0025_CreatePenaltyPacks(),
        M0026_AddContactLivesWithPupil(),
        M0027_CreateEswCases(),
        M0028_CreateImprovementPlans(),
        M0029_CreateAttendancePanels(),
        M0030_CreateMissingEducationAndDeletions(),
        M0031_CreatePatrolEntries(),
        M0032_CreateSchoolVisits(),
    ]
}
