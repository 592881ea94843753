import FluentKit
import SQLKit

/// The rewards draws and certificates (issue 34, point 9): for a school, a reward and its period, the seed, every entrant and the
/// winners, who drew and when. One draw per reward, for a term or a school year: drawing again until a favourite
/// wins is not fair.
struct M0045_CreateRewardDraws: AsyncMigration {
    var name: String { "M0045_CreateRewardDraws" }

    func prepare(on database: any Database) async throws {
        try await database.schema("reward_draws")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("reward", .string, .required)
            // A term or a school year, from its first day: drawn once for each, on whatever day.
            .field("span", .string, .required)
            .field("period_from", .string, .required)
            .field("period_to", .string, .required)
            // The seed as decimal text: a UInt64 does not fit a signed 64-bit column.
            .field("seed", .string, .required)
            .field("wanted", .int, .required)
            .field("entrants", .string, .required)
            .field("winners", .string, .required)
            .field("drawn_by", .string, .required)
            .field("drawn_at", .string, .required)
            .unique(on: "school_id", "reward", "span", "period_from")
            .create()
        // Each pupil's certificate for a reward, once: claimed in the transaction that checks it, so two clicks
        // (or two people) make one certificate.
        try await database.schema("reward_certificates")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("reward", .string, .required)
            .field("span", .string, .required)
            .field("period_from", .string, .required)
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("made_by", .string, .required)
            .field("made_at", .string, .required)
            .unique(on: "school_id", "reward", "span", "period_from", "pupil_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("reward_certificates").delete()
        try await database.schema("reward_draws").delete()
    }
}
