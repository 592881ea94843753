import Foundation
import Testing

@testable import AttendanceStore

/// Other programs run through `posix_spawn` (Foundation's `Process.run()` crashed a CI run: see `ChildProcess`).
@Suite struct ChildProcessTests {
    private func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)-\(name)").path
    }

    @Test func theStatusOutputAndErrorsComeBackAsTheProgramLeftThem() async throws {
        let (output, errors) = (scratch("out"), scratch("err"))
        defer { for file in [output, errors] { try? FileManager.default.removeItem(atPath: file) } }
        let status = try await ChildProcess.run(
            ["sh", "-c", "printf 'ŵ ŷ'; echo 'a warning' >&2; exit 3"], output: output, errors: errors)
        #expect(status == 3)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "ŵ ŷ")
        #expect(try String(contentsOfFile: errors, encoding: .utf8) == "a warning\n")
        // A signal's end reads as 128 + its number, as a shell says it.
        #expect(try await ChildProcess.run(["sh", "-c", "kill -TERM $$"]) == 128 + SIGTERM)
    }

    @Test func aFailureCarriesItsLastErrorLineAndAMissingProgramSaysSo() throws {
        #expect(try ChildProcess.output(["sh", "-c", "echo one; echo two"]) == "one\ntwo\n")
        #expect(throws: ChildProcess.Failed.self) {
            try ChildProcess.output(["sh", "-c", "echo first >&2; echo 'the last' >&2; exit 1"])
        }
        do {
            _ = try ChildProcess.output(["sh", "-c", "echo first >&2; echo 'the last' >&2; exit 1"])
        } catch let failure as ChildProcess.Failed {
            #expect(failure.status == 1 && failure.lastLine == "the last")
        }
        #expect(throws: ChildProcess.CouldNotStart.self) {
            try ChildProcess.start(["attendance-no-such-program-\(UUID().uuidString)"])
        }
    }

    /// The child has standard input, output and errors and nothing else of ours: a server's sockets and database
    /// files stay the server's.
    @Test func theChildHoldsNoneOfOurDescriptors() throws {
        let held = open("/dev/null", O_RDONLY)  // without O_CLOEXEC, as a careless library might
        defer { close(held) }
        #expect(held > 2)
        let listed = try ChildProcess.output(["sh", "-c", "ls /proc/$$/fd"])
        #expect(Set(listed.split(separator: "\n")) == ["0", "1", "2"])
    }

    /// Many at once, as PDF rendering on every core and a second batch beside it run them.
    @Test func manyRunAtOnce() async throws {
        let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
            for index in 0..<40 { group.addTask { try await ChildProcess.run(["sh", "-c", "exit \(index % 7)"]) } }
            var all: [Int32] = []
            for try await status in group { all.append(status) }
            return all
        }
        #expect(statuses.sorted() == (0..<40).map { Int32($0 % 7) }.sorted())
    }

    /// A child being waited for can still be stopped.
    @Test func aChildWaitedForCanBeStopped() async throws {
        let child = try ChildProcess.start(["sleep", "30"])
        async let status = child.exitStatus()
        try await Task.sleep(for: .milliseconds(100))
        child.stop()
        #expect(await status == 128 + SIGTERM)
    }

    /// Stopping a child twice (the bench stops its servers on the way out and again when it unwinds) is once.
    @Test func aChildIsStoppedOnce() throws {
        let child = try ChildProcess.start(["sleep", "30"])
        child.stop()
        child.stop()
        #expect(child.waitForExit() == 128 + SIGTERM)
    }
}
