/// The ESW categories of the policy.
public enum Band: String, Sendable, Codable, CaseIterable {
    case green = "GREEN"
    case amber = "AMBER"
    case red = "RED"
}

/// The lines the statistics draw. Thresholds are in tenths of a percent so every comparison is exact.
///
/// The policy's text leaves gaps (GREEN 97–100, AMBER 93–96, RED below 92). This project reads it as
/// GREEN ≥ 97, AMBER ≥ 92 and < 97, RED < 92 (DOMAIN.md section 4), applied to the exact figure (attended /
/// possible), never to the rounded one: a pupil at 91.96% is below 92% and RED, shown as "92.0%".
public struct SummaryRules: Sendable, Hashable, Codable {
    public var greenFromTenths: Int
    public var amberFromTenths: Int
    /// Persistent absence: missing this share of possible sessions or more (Welsh Government, since 2023: 10%).
    public var persistentAbsencePercent: Int

    public init(greenFromTenths: Int, amberFromTenths: Int, persistentAbsencePercent: Int) {
        self.greenFromTenths = greenFromTenths
        self.amberFromTenths = amberFromTenths
        self.persistentAbsencePercent = persistentAbsencePercent
    }

    public static let wrexham2025 = SummaryRules(
        greenFromTenths: 970, amberFromTenths: 920, persistentAbsencePercent: 10)

    public func band(forTenths tenths: Int) -> Band {
        if tenths >= greenFromTenths { return .green }
        if tenths >= amberFromTenths { return .amber }
        return .red
    }
}
