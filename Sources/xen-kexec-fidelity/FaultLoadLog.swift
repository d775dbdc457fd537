import Logging

/// `fault-load`'s log: the library's messages on stderr, one line each, worded as
/// `xen-kexec-load` writes them outside systemd but named for this tool
/// (`xen-kexec-fidelity: warning: re-armed the previous crash image …`).
struct FaultLoadLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let severity = switch event.level {
        case .warning: "warning: "
        case .error, .critical: "error: "
        default: ""
        }
        FidelityOutput.error("xen-kexec-fidelity: \(severity)\(event.message)")
    }

    /// Installs the handler: notice and above, info with `-v`, debug with `-vv`.
    static func bootstrap(verbosity: Int) -> Logger {
        let level: Logger.Level = verbosity <= 0 ? .notice : verbosity == 1 ? .info : .debug
        LoggingSystem.bootstrap { _ in FaultLoadLogHandler(logLevel: level) }
        return Logger(label: "xen-kexec-fidelity")
    }
}
