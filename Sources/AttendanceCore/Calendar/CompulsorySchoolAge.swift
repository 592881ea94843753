/// Compulsory school age in Wales (Education Act 1996 s.8 and the prescribed days order).
///
/// A child becomes of compulsory school age on the first prescribed day (31 August, 31 December,
/// 31 March) on or after their fifth birthday, and stops on the last Friday in June of the school
/// year in which they turn 16.
public struct CompulsorySchoolAge: Sendable, Hashable {
    public let dateOfBirth: LocalDate

    public init(dateOfBirth: LocalDate) { self.dateOfBirth = dateOfBirth }

    /// The date a birthday falls on in a given year; a 29 February birthday is reached on
    /// 1 March in a common year (a person attains an age at the start of the anniversary).
    static func anniversary(of birth: LocalDate, inYear year: Int) -> LocalDate {
        LocalDate(year: year, month: birth.month, day: birth.day) ?? LocalDate(known: year, month: 3, day: 1)
    }

    public var fifthBirthday: LocalDate { Self.anniversary(of: dateOfBirth, inYear: dateOfBirth.year + 5) }
    public var sixteenthBirthday: LocalDate { Self.anniversary(of: dateOfBirth, inYear: dateOfBirth.year + 16) }

    /// First day of compulsory school age.
    public var starts: LocalDate {
        let birthday = fifthBirthday
        let year = birthday.year
        // The prescribed days of the birthday's year; 31 December is never before a day of the same year.
        let candidates = [
            LocalDate(known: year, month: 3, day: 31), LocalDate(known: year, month: 8, day: 31),
        ]
        return candidates.first { $0 >= birthday } ?? LocalDate(known: year, month: 12, day: 31)
    }

    /// Last day of compulsory school age: the last Friday in June of the school year in which the child turns 16.
    public var ends: LocalDate {
        let june = sixteenthBirthday.academicYear.startYear + 1
        var date = LocalDate(known: june, month: 6, day: 30)
        while date.weekday != .friday { date = date.adding(days: -1) }
        return date
    }

    public func isOfCompulsorySchoolAge(on date: LocalDate) -> Bool { date >= starts && date <= ends }
}
