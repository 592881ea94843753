import Foundation
import Synchronization

/// Runs other programs (WeasyPrint, pdfunite, pg_dump, DuckDB's Python, the bench's servers) through
/// `posix_spawn`, rather than Foundation's `Process`: on Linux, `Process.run()` reads `/proc/self/fd` with a
/// 256-byte copy of each directory entry, which crashes the whole program now and then when an entry ends a page
/// (swift-corelibs-foundation #5472, not in this toolchain). A server that prints letters must not fall over.
///
/// The child gets standard input from /dev/null, its output and errors in the files named (or /dev/null), the
/// parent's environment unless another is given, and none of the parent's other descriptors (its sockets and
/// database files stay the server's).
public final class ChildProcess: Sendable {
    /// The child's process id.
    public let id: pid_t
    /// Its exit status once collected: a process id is collected once (after that it may be another's, so it is
    /// not signalled again).
    private let collected = Mutex<Int32?>(nil)

    private init(id: pid_t) { self.id = id }

    public struct CouldNotStart: Error, CustomStringConvertible, Sendable {
        public let program: String
        public let code: Int32
        public var description: String { "\(program) could not be started: \(String(cString: strerror(code)))" }
    }

    /// Starts `arguments[0]` (a path, or a name looked up in PATH) with the rest as its arguments.
    public static func start(
        _ arguments: [String], environment: [String: String]? = nil, output: String? = nil, errors: String? = nil
    ) throws -> ChildProcess {
        guard let program = arguments.first else { throw CouldNotStart(program: "", code: EINVAL) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errors ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        closeOthers(&actions)
        // Signals as a fresh program has them: none blocked, none ignored (a server ignores SIGPIPE, and the test
        // harness blocks others; a child would keep both).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let environment = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var id: pid_t = 0
        let code = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                guard let argv, let envp else { return EINVAL }  // an array's storage always has an address
                return posix_spawnp(&id, program, &actions, &attributes, argv, envp)
            }
        }
        guard code == 0 else { throw CouldNotStart(program: program, code: code) }
        return ChildProcess(id: id)
    }

    /// Runs the program to its end and returns its exit status (128 + the signal's number if a signal ended it).
    public static func run(
        _ arguments: [String], environment: [String: String]? = nil, output: String? = nil, errors: String? = nil
    ) async throws -> Int32 {
        try await start(arguments, environment: environment, output: output, errors: errors).exitStatus()
    }

    /// Waits for the child to end, on a thread of its own (waiting blocks).
    public func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.collect()) }
        }
    }

    /// Waits for the child to end, on this thread (for the command line and tests, not a server's request).
    public func waitForExit() -> Int32 { collect() }

    /// What a program left when it ended: its exit status and what it wrote on standard output and standard error.
    public struct Finished: Sendable {
        public let status: Int32
        public let output: Data
        public let errors: Data

        /// The last line it wrote to standard error: a failing program's own words for why.
        public var lastErrorLine: String? {
            String(decoding: errors, as: UTF8.self).split(separator: "\n").last.map(String.init)
        }
    }

    /// Runs the program to its end and keeps what it wrote (through scratch files, removed afterwards: a pipe
    /// could fill and stall it).
    public static func capture(_ arguments: [String], environment: [String: String]? = nil) async throws -> Finished {
        let scratch = Scratch()
        defer { scratch.remove() }
        return scratch.finished(
            try await run(arguments, environment: environment, output: scratch.output, errors: scratch.errors))
    }

    /// Runs the program to its end and returns what it printed on standard output, which must be its whole answer:
    /// a failure (a status other than 0) is thrown with the last line it wrote to standard error. Waits on this
    /// thread.
    public static func output(_ arguments: [String]) throws -> String {
        let scratch = Scratch()
        defer { scratch.remove() }
        let finished = scratch.finished(
            try start(arguments, output: scratch.output, errors: scratch.errors).waitForExit())
        guard finished.status == 0 else {
            throw Failed(program: arguments[0], status: finished.status, lastLine: finished.lastErrorLine)
        }
        return String(decoding: finished.output, as: UTF8.self)
    }

    /// The two files a captured program writes into.
    private struct Scratch {
        let output: String
        let errors: String

        init() {
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("attendance-\(UUID().uuidString)")
            (output, errors) = (base.path + ".out", base.path + ".err")
        }

        func finished(_ status: Int32) -> Finished {
            func read(_ path: String) -> Data { (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data() }
            return Finished(status: status, output: read(output), errors: read(errors))
        }

        func remove() {
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: errors)
        }
    }

    public struct Failed: Error, CustomStringConvertible, Sendable {
        public let program: String
        public let status: Int32
        public let lastLine: String?
        public var description: String { "\(program) failed: \(lastLine ?? "exit status \(status)")" }
    }

    /// Asks the child to stop (SIGTERM) unless it has been collected already, and waits for it, here.
    public func stop() {
        if collected.withLock({ $0 == nil }) { kill(id, SIGTERM) }
        _ = collect()
    }

    /// The exit status, waited for outside the lock (a `stop` meanwhile must still reach the child). Of two
    /// waiters the one the system answers keeps the status, and the other reads it.
    private func collect() -> Int32 {
        if let status = collected.withLock({ $0 }) { return status }
        let ended = Self.wait(for: id)
        if ended != -1 {
            collected.withLock { $0 = ended }
            return ended
        }
        // The other waiter took it: its status is kept within moments.
        for _ in 0..<1000 {
            if let status = collected.withLock({ $0 }) { return status }
            usleep(1000)
        }
        return -1
    }

    private static func wait(for id: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(id, &status, 0) == -1 {
            guard errno == EINTR else { return -1 }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Closes every descriptor above standard error in the child: glibc's `posix_spawn_file_actions_addclosefrom_np`
    /// (2.34 on; not in the headers Swift imports, so found by name), else each descriptor open now.
    private static func closeOthers(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, CInt) -> CInt
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    /// A NULL-ended array of C strings, alive for the call.
    private static func withCStrings<T>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> T
    ) -> T {
        let copies = strings.map { strdup($0) } + [nil]
        defer { for copy in copies { free(copy) } }
        // posix_spawn's argv and envp are `char *const[]`: the array is not written.
        return copies.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
