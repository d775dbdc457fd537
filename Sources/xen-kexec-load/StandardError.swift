import SystemPackage

/// `print(..., to: &err)` target for messages on stderr.
struct StandardError: TextOutputStream {
    /// Writes one line to stderr.
    static func write(_ line: String) {
        _ = try? FileDescriptor.standardError.writeAll(Array((line + "\n").utf8))
    }

    mutating func write(_ string: String) {
        _ = try? FileDescriptor.standardError.writeAll(Array(string.utf8))
    }
}
