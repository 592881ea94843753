import AttendanceCore
import AttendanceLetters
import AttendanceStore

/// How far a job has got (the day's letters being made): a bar while it runs, why it stopped if it did. The
/// page's script asks again every second or two; without script, a link does.
struct JobPage: PageModel {
    static let template = "letter-job"

    /// The kind of job that makes the day's letters.
    static let dueLetters = "due_letters"
    /// The kind of job that makes a reward's certificates (the rewards page).
    static let certificates = "certificates"
    /// Every kind of job whose end is a batch of letters.
    static let kinds: Set<String> = [dueLetters, certificates]

    let title: String
    let status: String
    let running: Bool
    /// The bar: known once the queue has been read and the letters counted.
    let determinate: Bool
    let done: Int
    let total: Int
    let problem: String?
    let selfHref: String
    let actionsHref: String

    static func make(_ job: Job, text: @escaping (String, [String: String]) -> String) -> JobPage {
        let plain = { (key: String) in text(key, [:]) }
        let status: String
        switch job.status {
        case .running:
            status =
                job.total == 0
                ? plain("job.reading") : text("job.progress", ["done": String(job.done), "total": String(job.total)])
        case .done: status = plain("job.done")
        case .failed: status = plain("job.failed")
        case .interrupted: status = plain("job.interrupted")
        }
        return JobPage(
            title: plain(job.kind == certificates ? "job.titleCertificates" : "job.title"), status: status,
            running: job.status == .running,
            determinate: job.total > 0, done: job.done, total: job.total,
            problem: job.status == .failed ? job.problem.flatMap { Self.problemKeys[$0] }.map(plain) : nil,
            selfHref: SiteURL.school(.letterJob, job.school, id: job.id),
            actionsHref: SiteURL.school(.actions, job.school))
    }

    /// Failures a person can act on, by the kind of error recorded; any other is the plain "could not be made".
    static let problemKeys = [
        "PDFProblem": "job.problem.pdf", "StoreError": "job.problem.store",
        "LetterTemplateProblem": "job.problem.wording",
    ]

    /// What a finished batch leaves for its page: its id and the counts it reports.
    static func result(_ batch: LetterService.Batch) -> String {
        "\(batch.id) \(batch.needingDetails) \(batch.withoutContact) \(batch.waiting)"
    }

    static func batch(from result: String) -> (id: String, needing: Int, skipped: Int, waiting: Int)? {
        let parts = result.split(separator: " ").map(String.init)
        guard parts.count == 4, let needing = Int(parts[1]), let skipped = Int(parts[2]), let waiting = Int(parts[3])
        else { return nil }
        return (parts[0], needing, skipped, waiting)
    }
}
