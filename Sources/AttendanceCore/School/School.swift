/// A school: its LA and establishment numbers (together the LAESTAB, e.g. 6652001), name, phase and registers.
public struct School: Hashable, Sendable, Codable {
    public var laNumber: Int
    public var estabNumber: Int
    public var name: String
    public var phase: Phase
    public var am: RegisterTimes
    public var pm: RegisterTimes
    /// The ESW service's local area the school is in (the policy: three areas), when known: referrals are
    /// allocated by it.
    public var eswArea: Int?

    public enum Phase: String, Sendable, Codable, CaseIterable {
        case nursery, primary, secondary, middle, special
        case allThrough = "all_through"
        case pupilReferralUnit = "pru"
    }

    public init(
        laNumber: Int, estabNumber: Int, name: String, phase: Phase, am: RegisterTimes, pm: RegisterTimes,
        eswArea: Int? = nil
    ) {
        self.laNumber = laNumber
        self.estabNumber = estabNumber
        self.name = name
        self.phase = phase
        self.am = am
        self.pm = pm
        self.eswArea = eswArea
    }

    public var laestab: LAESTAB { LAESTAB(la: laNumber, estab: estabNumber) }

    public func times(for half: SessionHalf) -> RegisterTimes { half == .am ? am : pm }
}

/// The seven-digit school identifier: 3-digit LA number then 4-digit establishment number.
public struct LAESTAB: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let la: Int
    public let estab: Int

    public init(la: Int, estab: Int) {
        self.la = la
        self.estab = estab
    }

    public init?(text: some StringProtocol) {
        let trimmed = String(text.filter { $0 != "/" && $0 != "-" })
        guard trimmed.count == 7, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }),
            let la = Int(trimmed.prefix(3)), let estab = Int(trimmed.suffix(4))
        else { return nil }
        self.init(la: la, estab: estab)
    }

    /// The establishment number as four digits ("0401"), as files and the LAESTAB write it.
    public var estabText: String {
        let digits = String(estab)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Seven digits, as it was read: an LA number below 100 keeps its leading zeros (found by fuzzing: "0000000"
    /// read as LA 0 printed as "00000", which no reader takes back).
    public var description: String {
        let digits = String(la)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits + estabText
    }

    public static func < (lhs: LAESTAB, rhs: LAESTAB) -> Bool { (lhs.la, lhs.estab) < (rhs.la, rhs.estab) }
}
