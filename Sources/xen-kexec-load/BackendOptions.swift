import ArgumentParser
import KexecPlan
import Logging
import SystemPackage
import XenKexec

/// `--json` and `-v`, on every backend command.
struct CommonOptions: ParsableArguments {
    @Flag(name: .long, help: "Write machine-readable JSON to stdout.")
    var json = false

    @Flag(name: .shortAndLong, help: "Log more (repeat for debug output).")
    var verbose: Int
}

extension CommonOptions {
    /// The body of a backend command, written once: logging set up from `-v`, then `body`;
    /// a ``KexecError`` becomes one logged line (and a JSON error with `--json`) and its exit code.
    func run(_ body: (Logger) throws(KexecError) -> Void) throws {
        let logger = CLILogging.bootstrap(verbosity: verbose)
        try reportingErrors(json: json, logger: logger) { () throws(KexecError) in try body(logger) }
    }

    /// ``run(_:)`` for an async body (the Secure Boot gate).
    func run(_ body: (Logger) async throws(KexecError) -> Void) async throws {
        let logger = CLILogging.bootstrap(verbosity: verbose)
        try await reportingErrors(json: json, logger: logger) { () async throws(KexecError) in try await body(logger) }
    }

    /// libxenctrl, with its own messages at `-vv`.
    func openHypervisor() throws(KexecError) -> XenctrlHypervisor {
        try XenctrlHypervisor.open(verboseLibxenctrl: verbose >= 2)
    }
}

/// Where the tool keeps its state and lock; hidden, for tests and unusual layouts. The
/// environment variables `XEN_KEXEC_LOAD_STATE_DIR` and `XEN_KEXEC_LOAD_LOCK` do the same.
struct StateOptions: ParsableArguments {
    @Option(name: .customLong("state-dir"), help: .hidden)
    var stateDirectory: String?

    @Option(name: .customLong("lock-file"), help: .hidden)
    var lockFile: String?

    @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for another xen-kexec-load to finish.")
    var lockTimeout: Int = 60

    var store: ArmedImageStore {
        let dir = stateDirectory ?? HostFiles.environment("XEN_KEXEC_LOAD_STATE_DIR")
        return ArmedImageStore(directory: dir.map { FilePath($0) } ?? ArmedImageStore.defaultDirectory)
    }

    var lockPath: FilePath {
        let path = lockFile ?? HostFiles.environment("XEN_KEXEC_LOAD_LOCK")
        return path.map { FilePath($0) } ?? InstanceLock.defaultPath
    }

    /// Takes the single-instance lock, saying so if it has to wait.
    func lock(_ logger: Logger) throws(KexecError) -> InstanceLock {
        try InstanceLock.acquire(lockPath, timeoutSeconds: lockTimeout) {
            logger.notice("waiting for another xen-kexec-load to release \(lockPath) (up to \(lockTimeout) s)")
        }
    }
}

/// `--type` for unload/status/exec/load.
enum SlotArgument: String, ExpressibleByArgument, CaseIterable {
    case crash
    case `default`

    var loadType: LoadType { self == .crash ? .crash : .default }
}
