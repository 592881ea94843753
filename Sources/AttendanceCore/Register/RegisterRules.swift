/// The rules of marking a register, apart from any page or database.
public enum RegisterRules {
    /// The code for a pupil who arrived `minutesLate` minutes after the session started: the table's
    /// late-before-close code while the register is open, its late-after-close code once it has closed.
    /// Nobody chooses between them.
    public static func lateCode(minutesLate: Int, times: RegisterTimes, codes: CodeTable) -> AttendanceCode {
        let arrival = times.start.minutesSinceMidnight + max(0, minutesLate)
        return arrival <= times.close.minutesSinceMidnight ? codes.lateBeforeClose : codes.lateAfterClose
    }

    /// The present code for a session: the table's register code for that half of the day (`/` AM, `\\` PM).
    public static func presentCode(for half: SessionHalf, codes: CodeTable) -> AttendanceCode {
        half == .am ? codes.present.am : codes.present.pm
    }

    public enum Refusal: Error, Equatable, Sendable {
        /// Only the head teacher may set an authorised code, or undo one.
        case needsAuthorisation(String)
        /// A form tutor may use only the register's own codes.
        case notARegisterCode(String)
        /// The other half's present code (`/` is the morning's, `\\` the afternoon's).
        case wrongHalf(String)
        /// The session has not begun: only a planned code (holiday, exclusion, appointment) may be entered ahead.
        case notYet(String)
    }

    /// Whether a register was taken after it closed: its first mark was recorded (at the school's local `recorded`
    /// date and time) after the close time of its day, or on a later day. The policy's "non-compliant registers".
    public static func takenLate(
        _ session: SchoolSession, times: RegisterTimes, recorded: (date: LocalDate, time: TimeOfDay)
    ) -> Bool {
        if recorded.date != session.date { return recorded.date > session.date }
        return recorded.time.minutesSinceMidnight > times.close.minutesSinceMidnight
    }

    /// How long before a session starts its register may be taken (a tutor opens it as the class comes in).
    public static let opensBeforeStart = 30

    /// Whether a session's register may be taken at `now`: any earlier day, or today from half an hour before
    /// the session starts.
    public static func hasBegun(
        _ session: SchoolSession, times: RegisterTimes, now: (date: LocalDate, time: TimeOfDay)
    ) -> Bool {
        if session.date != now.date { return session.date < now.date }
        return now.time.minutesSinceMidnight >= times.start.minutesSinceMidnight - opensBeforeStart
    }

    /// Whether a change from `old` to `new` is allowed for someone who may (or may not) authorise absence and
    /// who is (or is not) limited to the register's own codes, in a session of `half` that has (or has not)
    /// begun.
    public static func check(
        from old: AttendanceCode?, to new: AttendanceCode, canAuthorise: Bool, registerCodesOnly: Bool,
        half: SessionHalf, begun: Bool, codes: CodeTable
    ) throws(Refusal) {
        guard old?.code != new.code else { return }
        if !begun && !isPlanned(new) { throw .notYet(new.code) }
        let present = presentCode(for: half, codes: codes)
        if new.category == .present && new.usableAtRegister && new.meanings.isEmpty && new.code != present.code {
            throw .wrongHalf(new.code)
        }
        if !canAuthorise && (new.requiresAuthorisation || (old?.requiresAuthorisation ?? false)) {
            throw .needsAuthorisation(new.code)
        }
        // Finding an absence unauthorised (O, G) is as much the head's decision as authorising it: the office
        // records the parent's reason, the head decides. N (no reason yet) and U (the clock's) are not decisions.
        if !canAuthorise && isJudgedUnauthorised(new) { throw .needsAuthorisation(new.code) }
        let lateCodes = new.means(.lateAfterClose)  // U is decided by the clock, not chosen
        if registerCodesOnly && !new.usableAtRegister && !lateCodes { throw .notARegisterCode(new.code) }
    }

    /// An unauthorised code someone decides on (O, G), as against N (waiting for a reason) and U (the clock's).
    public static func isJudgedUnauthorised(_ code: AttendanceCode) -> Bool {
        code.category == .unauthorised && !code.means(.noReasonYet) && !code.means(.lateAfterClose)
    }

    /// A mark already on the register that was planned ahead (agreed or unagreed holiday, exclusion, an
    /// appointment) and must not be overwritten by accident from the register.
    public static func isPlanned(_ code: AttendanceCode) -> Bool {
        !code.usableAtRegister && !code.means(.lateAfterClose)
    }
}
