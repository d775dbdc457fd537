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
