import Foundation

/// Failed sign-ins per client address, beside the per-account wait: one address guessing at many accounts is
/// slowed down too. Held by the application (not global); forgotten on restart, which only shortens a wait.
actor SignInThrottle {
    /// Failures an address may make in `window` before it must wait until the oldest falls out of it.
    let limit: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(limit: Int = 20, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// How long the address must wait before trying again, or nil if it may try now.
    func wait(for address: String, now: Date = Date()) -> TimeInterval? {
        let recent = prune(address, now: now)
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return oldest.addingTimeInterval(window).timeIntervalSince(now)
    }

    func recordFailure(from address: String, now: Date = Date()) {
        failures[address] = prune(address, now: now) + [now]
        // Keep the table small: an address whose failures have all aged out is dropped.
        if failures.count > 10_000 { failures = failures.filter { !$0.value.isEmpty } }
    }

    private func prune(_ address: String, now: Date) -> [Date] {
        let recent = (failures[address] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[address] = recent.isEmpty ? nil : recent
        return recent
    }
}
