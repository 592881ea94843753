/// The Education Social Work service's record: cases from referral to close with their log, improvement plans, attendance panels, patrol sightings and school visits (tables `esw_cases`, `esw_events`, `improvement_plans`, `attendance_panels`, `patrol_entries`, `school_visits`).
public struct EswRepository: Sendable {
    let store: Store
}

extension Store {
    public var esw: EswRepository { EswRepository(store: self) }
}
