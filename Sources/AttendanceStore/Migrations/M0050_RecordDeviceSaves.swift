import FluentKit

/// Registers taken on a device without a connection (issue 37): the legal register records when a mark was made on
/// the device (`register_recordings.made_at`, beside `recorded_at`, when the server received it), and each save
/// a device sends carries a key, kept here once the save is written, so that a save sent again (its answer was
/// lost on the way back) is known as the same save and writes nothing twice.
struct M0050_RecordDeviceSaves: AsyncMigration {
    var name: String { "M0050_RecordDeviceSaves" }

    func prepare(on database: any Database) async throws {
        try await database.schema("register_recordings").field("made_at", .string).update()
        try await database.schema("register_saves")
            .field("id", .int, .identifier(auto: true))
            .field("recorded_by", .string, .required)
            .field("save_key", .string, .required)
            .field("received_at", .string, .required)
            .unique(on: "recorded_by", "save_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("register_saves").delete()
        try await database.schema("register_recordings").deleteField("made_at").update()
    }
}
