import Logging
import SystemPackage
import XenKexec

/// Logs to stderr, one line per message. Under systemd (`JOURNAL_STREAM` set) each line
/// starts with the syslog priority in angle brackets (`<3>` error …), which journald turns
/// into the entry's priority; otherwise lines read `xen-kexec-load: warning: …`.
/// stdout is left to data (plans, JSON).
struct StderrLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    let journal: Bool

    init(logLevel: Logger.Level, journal: Bool) {
        self.logLevel = logLevel
        self.journal = journal
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let line = Self.format(level: event.level, message: event.message.description, journal: journal)
        _ = try? FileDescriptor.standardError.writeAll(Array(line.utf8))
    }

    /// The syslog priority journald understands (sd-daemon(3)).
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// One output line, newline included (embedded newlines are flattened: one message, one line).
    static func format(level: Logger.Level, message: String, journal: Bool) -> String {
        let flat = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        if journal { return "<\(priority(level))>\(flat)\n" }
        switch level {
        case .trace, .debug, .info, .notice: return "xen-kexec-load: \(flat)\n"
        case .warning: return "xen-kexec-load: warning: \(flat)\n"
        case .error, .critical: return "xen-kexec-load: error: \(flat)\n"
        }
    }
}

enum CLILogging {
    /// The level for `-v` repeated `verbosity` times: notice, info, debug, trace.
    static func level(verbosity: Int) -> Logger.Level {
        switch verbosity {
        case ..<0: .critical
        case 0: .notice
        case 1: .info
        case 2: .debug
        default: .trace
        }
    }

    /// Installs the stderr handler (once per process) and returns the tool's logger.
    static func bootstrap(verbosity: Int) -> Logger {
        let journal = HostFiles.environment("JOURNAL_STREAM") != nil
        let level = level(verbosity: verbosity)
        LoggingSystem.bootstrap { _ in StderrLogHandler(logLevel: level, journal: journal) }
        return Logger(label: "xen-kexec-load")
    }
}
