import ArgumentParser

@main
struct Attendance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: "School attendance for Welsh schools and their local authority.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, DemoCommand.self, ImportCommand.self, ReportCommand.self,
            CodesCommand.self, UsersCommand.self, ProcedureCommand.self, PenaltyCommand.self, LettersCommand.self,
            ExportCommand.self, BackupCommand.self, RestoreCommand.self, RetentionCommand.self, LessonsCommand.self,
            BenchCommand.self,
        ]
    )
}
