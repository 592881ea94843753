import AttendanceCore
import AttendanceStore
import Vapor

extension Request {
    /// The school and pupil named in the path (`/schools/:laestab/pupils/:upn/…`); 404 when either is malformed.
    func schoolAndPupil() throws -> (LAESTAB, UPN) {
        guard case .school(let laestab) = target, let upn = parameters.get("upn").flatMap({ try? UPN($0) }) else {
            throw Abort(.notFound)
        }
        return (laestab, upn)
    }

    /// The same, for a pupil on that school's roll today: only such a school refers its pupil anywhere (the ESW
    /// service, missing education, the Community Paediatrician). 404 otherwise.
    func pupilOnSchoolRoll() async throws -> (LAESTAB, UPN) {
        let (laestab, upn) = try schoolAndPupil()
        guard let stored = try await context.store.reference.pupil(upn),
            stored.enrolments.contains(where: { $0.school == laestab && $0.isCurrent(on: context.today) })
        else { throw Abort(.notFound) }
        return (laestab, upn)
    }
}
