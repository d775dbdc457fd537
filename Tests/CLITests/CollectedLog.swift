import Foundation
import Logging

/// Log messages a command body wrote, for assertions.
final class CollectedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    var lines: [String] { lock.withLock { messages } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: CollectedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { log.lock.withLock { log.messages.append(event.message.description) } }
    }
}
