/// Letter 3: "medical proof required for any future absence to be authorised". After it, the head authorises
/// illness (I) or an appointment (M) only for a day the recorded evidence covers.
public enum MedicalEvidenceRule {
    /// Whether setting `code` on `date` needs evidence that is not recorded: Letter 3 went before the day, the code
    /// is illness or an appointment, and no evidence covers the day.
    public static func needsEvidence(
        _ code: AttendanceCode, on date: LocalDate, letter3Sent: LocalDate?, evidence: [DateRange]
    ) -> Bool {
        guard let letter3Sent, date > letter3Sent, code.means(.illness) || code.means(.medical) else { return false }
        return !evidence.contains { $0.contains(date) }
    }

    /// The evidence recorded (`days` of each) that covers any of the days of an absence flagged after Letter 3:
    /// what the head sees beside the flag.
    public static func covering<Evidence>(
        _ days: [LocalDate], in evidence: [Evidence], days covered: (Evidence) -> DateRange
    ) -> [Evidence] {
        evidence.filter { record in days.contains { covered(record).contains($0) } }
    }
}
